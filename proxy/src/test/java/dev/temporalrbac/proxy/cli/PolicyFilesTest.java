package dev.temporalrbac.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.temporalrbac.policy.model.PolicySnapshot;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands' policy argument: a file, or a directory read as policy.directory reads it. */
class PolicyFilesTest {
  @TempDir Path dir;

  @Test
  void aDirectoryIsOnePolicy() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), "groups:\n  - {id: ops, role: read_only}\n");
    Files.writeString(dir.resolve("b.yml"), "users:\n  - {id: u, role: developer, groups: [ops]}\n");
    Files.writeString(dir.resolve("README.md"), "not policy");
    StringWriter err = new StringWriter();
    PolicySnapshot policy = PolicyFiles.load(dir.toString(), new PrintWriter(err));
    assertNotNull(policy, err.toString());
    assertEquals(dir.toString(), policy.source());
    assertNotNull(policy.principal("u"));
  }

  @Test
  void aDirectorysErrorsNameTheirFiles() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), "users:\n  - {id: u, role: boss}\n");
    StringWriter err = new StringWriter();
    assertNull(PolicyFiles.load(dir.toString(), new PrintWriter(err)));
    assertEquals("policy rejected: 1 error\n" + dir.resolve("a.yaml") + ":2: users[0].role:"
        + " unknown role 'boss' (expected one of account_owner, global_admin, developer,"
        + " finance_admin, read_only)\n", err.toString().replace(System.lineSeparator(), "\n"));
  }
}
