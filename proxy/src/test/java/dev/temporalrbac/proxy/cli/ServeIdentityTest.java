package dev.temporalrbac.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} refuses to start on identity settings it cannot honour. */
class ServeIdentityTest {
  private static final String POLICY = CliRun.resource("policy-ok.yaml");
  private static final String[] ISSUER_AND_AUDIENCE = {"--jwt-issuer", "https://idp.example.com/",
      "--jwt-audience", "temporal"};

  @TempDir Path dir;

  private static String[] argv(String... options) {
    String[] argv = new String[options.length + 9];
    String[] base = {"serve", "--policy", POLICY, "--listen", "127.0.0.1:0", "--admin",
        "127.0.0.1:0", "--upstream", "127.0.0.1:1"};
    System.arraycopy(base, 0, argv, 0, base.length);
    System.arraycopy(options, 0, argv, base.length, options.length);
    return argv;
  }

  private static CliRun serve(String... options) {
    return CliRun.of(argv(options));
  }

  private static String[] with(String[] first, String... more) {
    String[] all = new String[first.length + more.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }

  @Test
  void aJwksThatCannotBeLoadedStopsStartUp() {
    Path missing = dir.resolve("missing-jwks.json");
    CliRun run = serve(with(ISSUER_AND_AUDIENCE, "--jwks", missing.toString()));
    assertEquals(ExitCode.POLICY_ERROR, run.code(), run.out() + run.err());
    assertTrue(run.err().contains("serve: cannot load the JWKS " + missing
        + " (identity.jwt.jwks)"), run.err());
  }

  @Test
  void aJwksUrlIsPrintedWithoutItsCredentials() {
    CliRun run = serve(with(ISSUER_AND_AUDIENCE, "--jwks-fetch-timeout", "2s",
        "--jwks", "http://svc:pa55word@127.0.0.1:1/keys.json?access_token=t0ken"));
    assertEquals(ExitCode.POLICY_ERROR, run.code(), run.out() + run.err());
    assertTrue(run.err().contains("serve: cannot load the JWKS http://127.0.0.1:1/keys.json"
        + " (identity.jwt.jwks)"), run.err());
    String printed = run.out() + run.err();
    assertFalse(printed.contains("pa55word") || printed.contains("t0ken"), printed);
  }

  @Test
  void aJwksWithoutIssuerAndAudienceIsRefused() {
    CliRun run = serve("--jwks", "jwks.json");
    assertEquals(ExitCode.POLICY_ERROR, run.code(), run.out() + run.err());
    assertTrue(run.err().contains("identity.jwt.issuer (--jwt-issuer) is required"), run.err());
    assertTrue(run.err().contains("identity.jwt.audience (--jwt-audience) is required"),
        run.err());
  }

  @Test
  void forbiddenAlgorithmsAndClientCertificatesWithoutTlsAreReportedTogether() {
    CliRun run = serve(with(ISSUER_AND_AUDIENCE, "--jwks", "jwks.json",
        "--jwt-algorithms", "RS256,HS256", "--tls-client-ca", "ca.pem"));
    assertEquals(ExitCode.POLICY_ERROR, run.code(), run.out() + run.err());
    assertTrue(run.err().contains("configuration rejected"), run.err());
    assertTrue(run.err().contains("HS256 is never accepted"), run.err());
    assertTrue(run.err().contains("tls.client_auth require needs TLS for callers"), run.err());
  }

  @Test
  void anyIssuerAndAudienceAreEachWarnedAboutOnceAtStart() throws Exception {
    Path jwks = Files.writeString(dir.resolve("jwks.json"), new JWKSet(
        new RSAKeyGenerator(2048).keyID("k1").generate().toPublicJWK()).toString());
    List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    CountDownLatch ready = new CountDownLatch(1);
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getLevel() == Level.WARNING) {
          warnings.add(record);
        } else if (record.getMessage().startsWith("ready:")) {
          ready.countDown();
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger log = Logger.getLogger(ServeCommand.class.getName());
    log.addHandler(handler);
    CountDownLatch stop = new CountDownLatch(1);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    AtomicInteger exit = new AtomicInteger(-1);
    String[] argv = argv("--jwks", jwks.toString(), "--jwt-issuer", "any", "--jwt-audience", "any",
        "--shutdown-grace", "0s");
    Thread serve = new Thread(() -> exit.set(new ServeCommand(stop).run(
        Arrays.copyOfRange(argv, 1, argv.length), // without the command's name
        new ByteArrayInputStream(new byte[0]), new PrintStream(err, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8))), "serve-under-test");
    try {
      serve.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (serve.isAlive() && System.nanoTime() < deadline
          && !ready.await(100, TimeUnit.MILLISECONDS)) {
        // until serve is ready, or has exited on an error
      }
      assertEquals(0, ready.getCount(), "serve did not start: " + err);
    } finally {
      stop.countDown();
      serve.join(TimeUnit.SECONDS.toMillis(30));
      log.removeHandler(handler);
    }
    assertEquals(ExitCode.OK, exit.get(), err.toString(StandardCharsets.UTF_8));
    List<String> messages = warnings.stream().map(LogRecord::getMessage).toList();
    assertEquals(2, messages.size(), messages.toString());
    assertTrue(messages.get(0).startsWith("identity.jwt.issuer is any"), messages.get(0));
    assertTrue(messages.get(1).startsWith("identity.jwt.audience is any"), messages.get(1));
  }

  @Test
  void usageListsTheIdentityFlags() {
    CliRun run = CliRun.of("serve", "--help");
    assertEquals(ExitCode.OK, run.code());
    for (String flag : new String[] {"--jwks", "--jwt-issuer", "--jwt-audience",
        "--jwt-algorithms", "--jwt-default-role", "--jwt-permissions-regex", "--tls-client-ca",
        "--tls-client-auth", "--mtls-principal-from", "--jwks-allow-insecure",
        "--jwt-max-verifications-per-second"}) {
      assertTrue(run.out().contains(flag), flag);
    }
  }
}
