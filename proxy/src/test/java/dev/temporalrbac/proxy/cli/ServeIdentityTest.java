package dev.temporalrbac.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} refuses to start on identity settings it cannot honour. */
class ServeIdentityTest {
  private static final String POLICY = CliRun.resource("policy-ok.yaml");

  @TempDir Path dir;

  private static CliRun serve(String... options) {
    String[] argv = new String[options.length + 9];
    String[] base = {"serve", "--policy", POLICY, "--listen", "127.0.0.1:0", "--admin",
        "127.0.0.1:0", "--upstream", "127.0.0.1:1"};
    System.arraycopy(base, 0, argv, 0, base.length);
    System.arraycopy(options, 0, argv, base.length, options.length);
    return CliRun.of(argv);
  }

  @Test
  void aJwksThatCannotBeLoadedStopsStartUp() {
    Path missing = dir.resolve("missing-jwks.json");
    CliRun run = serve("--jwks", missing.toString());
    assertEquals(ExitCode.POLICY_ERROR, run.code(), run.out() + run.err());
    assertTrue(run.err().contains("serve: cannot load the JWKS " + missing
        + " (identity.jwt.jwks)"), run.err());
  }

  @Test
  void forbiddenAlgorithmsAndClientCertificatesWithoutTlsAreReportedTogether() {
    CliRun run = serve("--jwks", "jwks.json", "--jwt-algorithms", "RS256,HS256",
        "--tls-client-ca", "ca.pem");
    assertEquals(ExitCode.POLICY_ERROR, run.code(), run.out() + run.err());
    assertTrue(run.err().contains("configuration rejected"), run.err());
    assertTrue(run.err().contains("HS256 is never accepted"), run.err());
    assertTrue(run.err().contains("tls.client_auth require needs TLS for callers"), run.err());
  }

  @Test
  void usageListsTheIdentityFlags() {
    CliRun run = CliRun.of("serve", "--help");
    assertEquals(ExitCode.OK, run.code());
    for (String flag : new String[] {"--jwks", "--jwt-issuer", "--jwt-audience",
        "--jwt-algorithms", "--jwt-default-role", "--jwt-permissions-regex", "--tls-client-ca",
        "--tls-client-auth", "--mtls-principal-from"}) {
      assertTrue(run.out().contains(flag), flag);
    }
  }
}
