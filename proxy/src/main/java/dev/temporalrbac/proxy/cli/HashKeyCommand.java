package dev.temporalrbac.proxy.cli;

import dev.temporalrbac.policy.eval.Authorizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hash-key}: prints the SHA-256 of an API key secret, the form the policy file stores. The
 * secret comes from stdin, never from an argument, so it stays out of shell history and the
 * process list; exactly one trailing newline (LF or CRLF) is dropped, as {@code echo} adds one.
 */
@Command(name = "hash-key",
    description = {"Prints the SHA-256 of an API key secret read from stdin.",
        "Reads the secret from stdin (one trailing newline is ignored) and prints the lower-case"
            + " hex SHA-256 to put in the policy's api_keys[].sha256. Exit 0; an empty secret is"
            + " a usage error (exit 2). The secret never comes from an argument: it would stay in"
            + " shell history and show in the process list.",
        ""})
public final class HashKeyCommand implements Callable<Integer> {
  /** Far above any real key; stops a mistaken pipe from filling memory. */
  private static final int MAX_SECRET_BYTES = 64 * 1024;

  private final InputStream in;
  @Spec
  private CommandSpec spec;
  @Mixin
  private HelpOption help;

  /** A command reading the secret from {@code in}. */
  HashKeyCommand(InputStream in) {
    this.in = in;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    byte[] bytes;
    try {
      bytes = in.readNBytes(MAX_SECRET_BYTES + 1);
    } catch (IOException e) {
      err.println("hash-key: cannot read stdin: " + e.getMessage());
      return ExitCode.POLICY_ERROR;
    }
    if (bytes.length > MAX_SECRET_BYTES) {
      throw new ParameterException(spec.commandLine(),
          "the secret is longer than " + MAX_SECRET_BYTES + " bytes");
    }
    String secret = stripOneNewline(new String(bytes, StandardCharsets.UTF_8));
    if (secret.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "no secret on stdin");
    }
    out.println(Authorizer.hashSecret(secret));
    return ExitCode.OK;
  }

  static String stripOneNewline(String text) {
    if (text.endsWith("\r\n")) {
      return text.substring(0, text.length() - 2);
    }
    if (text.endsWith("\n")) {
      return text.substring(0, text.length() - 1);
    }
    return text;
  }
}
