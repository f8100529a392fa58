package dev.temporalrbac.proxy.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.load.PolicyException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory as Kubernetes mounts a ConfigMap: ..data swapped atomically, never mixed. */
class DirectorySourceTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"),
      ZoneOffset.UTC);
  private static final String USERS = "users:\n  - {id: alice, role: developer, groups: [ops]}\n";
  private static final String GROUPS = "groups:\n  - {id: ops, role: read_only}\n";

  @TempDir
  Path mount;
  private final PolicyHolder holder = new PolicyHolder(null);

  /** Writes a new timestamped folder with {@code files} and swaps ..data to it, as kubelet does. */
  private Path publish(String stamp, Map<String, String> files) throws Exception {
    Path folder = Files.createDirectory(mount.resolve("..2026_12_01_" + stamp));
    for (Map.Entry<String, String> file : files.entrySet()) {
      Files.writeString(folder.resolve(file.getKey()), file.getValue());
      Path link = mount.resolve(file.getKey());
      if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(link, Path.of("..data", file.getKey()));
      }
    }
    Path next = mount.resolve("..data_tmp");
    Files.createSymbolicLink(next, folder.getFileName());
    Files.move(next, mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    return folder;
  }

  private static String sha256Hex(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The manifest of groups.yml and users.yaml as {@code LC_ALL=C sha256sum groups.yml users.yaml}
   * prints it: name order, hash, two spaces, name.
   */
  private static String manifest(String groups, String users) throws Exception {
    return sha256Hex(groups) + "  groups.yml\n" + sha256Hex(users) + "  users.yaml\n";
  }

  private PolicyWatcher watcher(PolicySource source, PolicySignature signature) {
    return new PolicyWatcher(source, signature, holder, ReloadListener.NONE, CLOCK,
        Duration.ofSeconds(1));
  }

  @Test
  void readsEveryYamlFileOfTheCurrentVersionAsOnePolicy() throws Exception {
    publish("10_00", Map.of("users.yaml", USERS, "groups.yml", GROUPS,
        "notes.txt", "not policy", ".hidden.yaml", "not: [read"));
    PolicyWatcher watcher = watcher(new DirectorySource(mount, false), null);
    watcher.loadInitial();
    assertEquals("developer", holder.current().rightsOf("alice").roleLabel());
    assertEquals(mount.toString(), holder.current().source());
    assertEquals(sha256Hex(manifest(GROUPS, USERS)).substring(0, 16), holder.current().version(),
        "sha256sum of the sha256sum lines, first 16 hex digits");

    Path old = mount.resolve("..2026_12_01_10_00");
    publish("10_05", Map.of("users.yaml", USERS + "  - {id: bob, role: developer}\n",
        "groups.yml", GROUPS));
    Files.walk(old).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    assertTrue(watcher.checkNow(), "the swap installs at once: ConfigMap updates are atomic");
    assertNotNull(holder.current().principal("bob"));
  }

  @Test
  void aSwapDuringTheReadIsDroppedAndReadNextPoll() throws Exception {
    publish("10_00", Map.of("users.yaml", USERS, "groups.yml", GROUPS));
    boolean[] swapped = {false};
    DirectorySource directory = new DirectorySource(mount, false, () -> {
      if (!swapped[0]) {
        swapped[0] = true;
        try {
          publish("10_09", Map.of("users.yaml", USERS + "  - {id: bob, role: developer}\n",
              "groups.yml", GROUPS));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    });
    PolicyWatcher watcher = watcher(directory, null);
    assertFalse(watcher.checkNow(), "the read the swap fell into is dropped");
    assertNull(holder.current());
    assertEquals(0, watcher.status().failed(), "a swap is no failure");
    assertTrue(watcher.checkNow(), "the next poll reads the new version whole");
    assertNotNull(holder.current().principal("bob"));
  }

  @Test
  void plainDirectoryWithoutDataLink() throws Exception {
    Files.writeString(mount.resolve("a.yaml"), GROUPS);
    Files.writeString(mount.resolve("b.yaml"), USERS);
    PolicyWatcher watcher = watcher(new DirectorySource(mount, false), null);
    watcher.loadInitial();
    assertNotNull(holder.current().principal("alice"));
  }

  @Test
  void aDirectoryThatDoesNotLoadFailsTheStartWithFileAndLine() throws Exception {
    publish("10_00", Map.of("users.yaml", "users:\n  - {id: alice, role: developer,"
        + " groups: [nope]}\n"));
    PolicyException e = assertThrows(PolicyException.class,
        () -> watcher(new DirectorySource(mount, false), null).loadInitial());
    assertEquals(mount.resolve("users.yaml") + ":2: users[0].groups[0]: unknown group 'nope'",
        e.errors().get(0).toString());
    assertNull(holder.current());
  }

  @Test
  void signedDirectoryVerifiesPolicyJwsOverTheManifest() throws Exception {
    PolicySigner signer = new PolicySigner("k1");
    Path pem = signer.writePem(Files.createTempFile("policy", ".pem"));
    PolicySignature check = new PolicySignature(SignatureKeys.file(pem));
    byte[] manifest = manifest(GROUPS, USERS).getBytes(StandardCharsets.UTF_8);
    publish("10_00", Map.of("users.yaml", USERS, "groups.yml", GROUPS,
        "policy.jws", new String(signer.sign(manifest), StandardCharsets.US_ASCII)));
    PolicyWatcher watcher = watcher(new DirectorySource(mount, true), check);
    watcher.loadInitial();
    String good = holder.current().version();

    // a new version whose signature still covers the old manifest: refused, last good stays
    publish("10_05", Map.of("users.yaml", USERS + "  - {id: eve, role: developer}\n",
        "groups.yml", GROUPS, "policy.jws", new String(signer.sign(manifest),
            StandardCharsets.US_ASCII)));
    assertFalse(watcher.checkNow());
    assertEquals(good, holder.current().version());
    assertTrue(watcher.status().lastError().startsWith("signature: the signature does not"
        + " verify"), watcher.status().lastError());
  }

  @Test
  void unsignedFileNextToAKeyIsRefusedAtStart() throws Exception {
    Path file = mount.resolve("policy.yaml");
    Files.writeString(file, USERS.replace(", groups: [ops]", ""));
    PolicySigner signer = new PolicySigner("k1");
    PolicySignature check = new PolicySignature(
        SignatureKeys.file(signer.writePem(mount.resolve("key.pem"))));
    PolicyException e = assertThrows(PolicyException.class,
        () -> watcher(new FileSource(file, true), check).loadInitial());
    assertEquals(file + ": signature: no signature", e.errors().get(0).toString());
    Files.write(mount.resolve("policy.yaml.jws"), signer.sign(Files.readAllBytes(file)));
    watcher(new FileSource(file, true), check).loadInitial();
    assertNotNull(holder.current().principal("alice"));
  }
}
