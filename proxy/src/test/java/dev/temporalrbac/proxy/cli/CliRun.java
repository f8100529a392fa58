package dev.temporalrbac.proxy.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Runs a command line in-process and captures what it printed. */
record CliRun(int code, String out, String err) {
  static final String WORKFLOW = "temporal.api.workflowservice.v1.WorkflowService/";
  static final String CLOUD = "temporal.api.cloud.cloudservice.v1.CloudService/";
  /** Secret of key-alice in policy-ok.yaml. */
  static final String ALICE_SECRET = "alice-secret-7f3a9c";

  /** A command's entry point: argv already bound, the three streams given. */
  private interface Command {
    int run(ByteArrayInputStream in, PrintStream out, PrintStream err);
  }

  private static CliRun capture(String stdin, Command command) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = command.run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CliRun(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  static CliRun withStdin(String stdin, String... argv) {
    return capture(stdin, (in, out, err) -> Cli.run(argv, in, out, err));
  }

  /**
   * Runs serve; a serve that starts stops at once (its stop latch is already open), so a test
   * that expected a failure fails instead of hanging.
   */
  static CliRun serve(String... argv) {
    return capture("",
        (in, out, err) -> new ServeCommand(new CountDownLatch(0)).run(argv, in, out, err));
  }

  static CliRun of(String... argv) {
    return withStdin("", argv);
  }

  /** Path of a test resource, e.g. {@code policy-ok.yaml}. */
  static String resource(String name) {
    try {
      return Path.of(CliRun.class.getResource("/" + name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Non-empty stdout lines. */
  List<String> lines() {
    return Arrays.stream(out.split("\n")).filter(line -> !line.isEmpty()).toList();
  }

  /** A line of JSON output as a Struct. */
  static Struct json(String line) {
    Struct.Builder struct = Struct.newBuilder();
    try {
      JsonFormat.parser().merge(line, struct);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("not JSON: " + line, e);
    }
    return struct.build();
  }

  static String field(Struct json, String name) {
    return json.getFieldsOrThrow(name).getStringValue();
  }

  /** The single JSON object the command printed. */
  Struct answer() {
    List<String> lines = lines();
    if (lines.size() != 1) {
      throw new AssertionError("expected one line, got: " + out + err);
    }
    return json(lines.get(0));
  }
}
