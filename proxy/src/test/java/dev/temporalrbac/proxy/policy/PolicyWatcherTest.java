package dev.temporalrbac.proxy.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.model.PolicySnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watcher's reload rules on a plain file and a ConfigMap layout, with a stepped clock: a
 * version settles before it is loaded, and a mass removal is refused unless confirmed.
 */
class PolicyWatcherTest {
  private static final Duration SETTLE = Duration.ofSeconds(1);

  @TempDir Path dir;
  private final SteppedClock clock = new SteppedClock();
  private final List<String> installed = new CopyOnWriteArrayList<>();
  private final List<String> rejected = new CopyOnWriteArrayList<>();
  private final PolicyHolder holder = new PolicyHolder(null);
  private final ReloadListener listener = new ReloadListener() {
    @Override
    public void installed(PolicySnapshot snapshot) {
      installed.add(snapshot.version());
    }

    @Override
    public void rejected(String source, String error) {
      rejected.add(error);
    }
  };
  private Path file;

  @BeforeEach
  void setUp() {
    file = dir.resolve("policy.yaml");
  }

  /** Users u0..u{n-1} and keys k0..k{keys-1} owned by u0. */
  private static String policy(int users, int keys, String extra) {
    StringBuilder text = new StringBuilder("users:\n");
    for (int i = 0; i < users; i++) {
      text.append("  - id: u").append(i).append("\n    role: developer\n");
    }
    text.append("api_keys:\n");
    for (int i = 0; i < keys; i++) {
      text.append("  - id: k").append(i).append("\n    owner: u0\n    sha256: ")
          .append(String.format("%064x", i + 1)).append('\n');
    }
    return text.append(extra).toString();
  }

  private PolicyWatcher watcher(Duration settle) throws Exception {
    PolicyWatcher watcher = new PolicyWatcher(file, holder, listener, clock, settle);
    watcher.loadInitial();
    return watcher;
  }

  private static void write(Path path, String content) throws IOException {
    Files.writeString(path, content, StandardCharsets.UTF_8);
  }

  @Test
  void aHalfWrittenFileIsNotInstalledOnlyTheCompletedOne() throws Exception {
    String whole = policy(4, 4, "namespaces:\n  - name: orders\n");
    write(file, policy(4, 4, ""));
    PolicyWatcher watcher = watcher(SETTLE);
    PolicySnapshot before = holder.current();

    // A non-atomic writer has got as far as "api_keys:": valid YAML, a valid emptier policy.
    write(file, whole.substring(0, whole.indexOf("api_keys:\n") + "api_keys:\n".length()));
    assertFalse(watcher.checkNow(), "first sight of a version starts its settle time");
    clock.step(SETTLE.dividedBy(2));
    write(file, whole);
    assertFalse(watcher.checkNow(), "the content changed: settle starts again");
    clock.step(SETTLE.dividedBy(2));
    assertFalse(watcher.checkNow(), "the completed file has been stable for half the settle");
    assertSame(before, holder.current());
    clock.step(SETTLE.dividedBy(2));
    assertTrue(watcher.checkNow());

    assertEquals(1, holder.current().namespaces().size());
    assertEquals(4, holder.current().apiKeys().size());
    assertEquals(List.of(before.version(), holder.current().version()), installed);
    assertEquals(List.of(), rejected, "a file caught half-way is not a failed reload");
    assertEquals(1, watcher.status().succeeded());
    assertEquals(0, watcher.status().failed());
  }

  @Test
  void aFileThatKeepsChangingIsNotInstalledUntilItHoldsStill() throws Exception {
    write(file, policy(2, 1, ""));
    PolicyWatcher watcher = watcher(SETTLE);
    PolicySnapshot before = holder.current();

    for (int i = 0; i < 10; i++) {
      write(file, policy(2, 1, "namespaces:\n  - name: n" + i + "\n"));
      assertFalse(watcher.checkNow(), "version " + i);
      clock.step(SETTLE);
    }
    assertSame(before, holder.current());
    assertTrue(watcher.checkNow(), "the last version has now been read twice, settle apart");
    assertEquals("n9", holder.current().namespaces().iterator().next().name());
  }

  @Test
  void aClockSetBackDelaysAReloadByOneSettleAtMost() throws Exception {
    write(file, policy(2, 1, ""));
    PolicyWatcher watcher = watcher(SETTLE);

    write(file, policy(2, 2, ""));
    assertFalse(watcher.checkNow());
    clock.step(Duration.ofHours(-1));
    assertFalse(watcher.checkNow(), "settle restarts from the earlier time");
    clock.step(SETTLE);
    assertTrue(watcher.checkNow());
  }

  @Test
  void aMassRemovalIsRefusedCountedAndExplained() throws Exception {
    write(file, policy(12, 8, ""));
    PolicyWatcher watcher = watcher(SETTLE);
    PolicySnapshot before = holder.current();

    write(file, policy(3, 0, ""));
    assertFalse(watcher.checkNow());
    clock.step(SETTLE);
    assertFalse(watcher.checkNow());

    assertSame(before, holder.current());
    ReloadStatus status = watcher.status();
    assertEquals(0, status.succeeded());
    assertEquals(1, status.failed());
    assertTrue(status.lastError().startsWith("removal guard: this version removes 9 of 12"
        + " principals and 8 of 8 API keys in force"), status.lastError());
    assertTrue(status.lastError().contains("confirm_removal: {principals: 3, api_keys: 0}"),
        status.lastError());
    assertEquals(clock.instant(), status.lastAttempt());
    assertEquals(List.of(status.lastError()), rejected);

    clock.step(SETTLE);
    assertFalse(watcher.checkNow(), "the refused version is remembered, not retried");
    assertEquals(1, watcher.status().failed());
    assertEquals(1, rejected.size());
  }

  @Test
  void aConfirmedMassRemovalIsInstalled() throws Exception {
    write(file, policy(12, 8, ""));
    PolicyWatcher watcher = watcher(SETTLE);

    write(file, policy(3, 0, "confirm_removal: {principals: 3, api_keys: 0}\n"));
    assertFalse(watcher.checkNow());
    clock.step(SETTLE);
    assertTrue(watcher.checkNow());

    assertEquals(3, holder.current().principals().size());
    assertEquals(0, watcher.status().failed());
  }

  @Test
  void removingExactlyHalfIsAllowed() throws Exception {
    write(file, policy(4, 4, ""));
    PolicyWatcher watcher = watcher(Duration.ZERO);

    write(file, policy(2, 2, ""));
    assertTrue(watcher.checkNow(), "zero settle installs at first sight");
    assertEquals(2, holder.current().principals().size());
  }

  @Test
  void aFileMissingForAMomentIsNotAFailureOneThatStaysMissingIs() throws Exception {
    write(file, policy(2, 1, ""));
    PolicyWatcher watcher = watcher(SETTLE);
    PolicySnapshot before = holder.current();

    Files.delete(file);
    assertFalse(watcher.checkNow());
    assertEquals(0, watcher.status().failed(), "missing at one read only");
    write(file, policy(2, 1, ""));
    clock.step(SETTLE);
    assertFalse(watcher.checkNow(), "back to the version in force");

    Files.delete(file);
    assertFalse(watcher.checkNow());
    clock.step(SETTLE);
    assertFalse(watcher.checkNow());
    assertEquals(1, watcher.status().failed());
    assertTrue(watcher.status().lastError().startsWith("cannot read the policy file"),
        watcher.status().lastError());
    assertSame(before, holder.current());
  }

  /**
   * A ConfigMap volume: the file is a symlink through {@code ..data}, itself a symlink to a
   * timestamped directory; kubelet writes a new directory and renames a new {@code ..data} link
   * over the old one. The watcher opens the path afresh each poll and so follows the swap.
   */
  @Test
  void followsAKubernetesConfigMapSymlinkSwap() throws Exception {
    Path first = Files.createDirectory(dir.resolve("..2026_06_01_00_00_00.1"));
    write(first.resolve("policy.yaml"), policy(2, 1, ""));
    Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
    Files.createSymbolicLink(file, Path.of("..data", "policy.yaml"));
    PolicyWatcher watcher = watcher(SETTLE);
    PolicySnapshot before = holder.current();

    Path second = Files.createDirectory(dir.resolve("..2026_06_01_00_05_00.2"));
    write(second.resolve("policy.yaml"), policy(2, 2, ""));
    Path tmp = Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
    Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    Files.delete(first.resolve("policy.yaml"));
    Files.delete(first);

    assertTrue(Files.isSymbolicLink(file));
    assertFalse(watcher.checkNow());
    clock.step(SETTLE);
    assertTrue(watcher.checkNow());
    assertNotNull(holder.current().keyById("k1"));
    assertEquals(before.principals().size(), holder.current().principals().size());
    assertEquals(0, watcher.status().failed());
  }
}
