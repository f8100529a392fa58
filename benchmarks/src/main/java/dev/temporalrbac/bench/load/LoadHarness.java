package dev.temporalrbac.bench.load;

import dev.temporalrbac.bench.PolicyFixture;
import dev.temporalrbac.bench.Requests;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * End-to-end load harness: an upstream {@code WorkflowService} that answers at once, a
 * closed-loop unary load generator, and a long-poll holder. See benchmarks/README.md and run.sh.
 *
 * <pre>
 * java -cp benchmarks.jar dev.temporalrbac.bench.load.LoadHarness upstream [--port 0] [--port-file F]
 * ... LoadHarness fixture --dir D [--principals 100] [--namespaces 1000] [--seed 42]
 * ... LoadHarness unary --target 127.0.0.1:P --concurrency 64 [--warmup 3] [--duration 10]
 *         [--deny-fraction 0] [--channels 4] [--label L] [--cpu-pids 1,2] [--upstream-pid P] [--out F]
 * ... LoadHarness longpoll --target 127.0.0.1:P [--count 10000] [--hold 60] [--deadline 70]
 *         [--channels 4] [--admin 127.0.0.1:A] [--pid P] [--out F]
 * </pre>
 *
 * <p>Every mode that generates calls uses the same deterministic {@link PolicyFixture} (principals,
 * namespaces, seed), so the callers' API keys match the policy {@code fixture} wrote. Results are
 * one JSON line each (stdout, and appended to {@code --out}).
 */
public final class LoadHarness {
  static final String START_METHOD = Requests.START_WORKFLOW;
  static final String POLL_METHOD =
      "temporal.api.workflowservice.v1.WorkflowService/PollWorkflowTaskQueue";
  static final int INPUT_BYTES = 700;

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> NAMESPACE =
      Metadata.Key.of("temporal-namespace", Metadata.ASCII_STRING_MARSHALLER);

  /** Requests and responses are pre-serialized: the client spends no CPU on protobuf. */
  public static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  static final MethodDescriptor<byte[], byte[]> START = MethodDescriptor.newBuilder(BYTES, BYTES)
      .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(START_METHOD).build();
  static final MethodDescriptor<byte[], byte[]> POLL = MethodDescriptor.newBuilder(BYTES, BYTES)
      .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(POLL_METHOD).build();

  private LoadHarness() {}

  public static void main(String[] argv) throws Exception {
    if (argv.length == 0) {
      System.err.println("usage: LoadHarness upstream|fixture|unary|longpoll [--flag value]...");
      System.exit(2);
    }
    Map<String, String> args = parseFlags(argv);
    switch (argv[0]) {
      case "upstream" -> upstream(args);
      case "fixture" -> fixture(args);
      case "unary" -> unary(args);
      case "longpoll" -> longpoll(args);
      default -> {
        System.err.println("unknown mode " + argv[0]);
        System.exit(2);
      }
    }
  }

  // ---------------------------------------------------------------- upstream

  /** A WorkflowService that answers StartWorkflowExecution at once and holds polls. */
  static final class Upstream extends WorkflowServiceGrpc.WorkflowServiceImplBase {
    final StartWorkflowExecutionResponse started = StartWorkflowExecutionResponse.newBuilder()
        .setRunId("7d9f2c4e-1a3b-4c5d-8e6f-0a1b2c3d4e5f").setStarted(true).build();
    final Set<StreamObserver<?>> held = ConcurrentHashMap.newKeySet();
    final AtomicLong starts = new AtomicLong();

    @Override
    public void startWorkflowExecution(StartWorkflowExecutionRequest request,
        StreamObserver<StartWorkflowExecutionResponse> response) {
      starts.incrementAndGet();
      response.onNext(started);
      response.onCompleted();
    }

    @Override
    public void pollWorkflowTaskQueue(PollWorkflowTaskQueueRequest request,
        StreamObserver<PollWorkflowTaskQueueResponse> response) {
      // Held until the caller's deadline (or cancellation), as an idle task queue would.
      ServerCallStreamObserver<PollWorkflowTaskQueueResponse> call =
          (ServerCallStreamObserver<PollWorkflowTaskQueueResponse>) response;
      held.add(call);
      call.setOnCancelHandler(() -> held.remove(call));
    }
  }

  static void upstream(Map<String, String> args) throws Exception {
    int port = Integer.parseInt(args.getOrDefault("port", "0"));
    Upstream service = new Upstream();
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .directExecutor()
        .addService(service)
        .build()
        .start();
    String portFile = args.get("port-file");
    if (portFile != null) {
      Files.writeString(Path.of(portFile), server.getPort() + "\n");
    }
    System.out.println("PORT " + server.getPort());
    System.out.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
    ScheduledExecutorService stats = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "upstream-stats");
      t.setDaemon(true);
      return t;
    });
    stats.scheduleAtFixedRate(() -> System.out.println(
        "upstream: starts=" + service.starts.get() + " polls_held=" + service.held.size()),
        30, 30, TimeUnit.SECONDS);
    server.awaitTermination();
  }

  // ---------------------------------------------------------------- fixture

  static PolicyFixture fixtureOf(Map<String, String> args) {
    return PolicyFixture.generate(
        Integer.parseInt(args.getOrDefault("principals", "100")),
        Integer.parseInt(args.getOrDefault("namespaces", "1000")),
        Long.parseLong(args.getOrDefault("seed", "42")));
  }

  /** Writes policy.yaml, and for h2load a gRPC-framed allowed request and its caller's secret. */
  static void fixture(Map<String, String> args) throws IOException {
    Path dir = Path.of(required(args, "dir"));
    Files.createDirectories(dir);
    PolicyFixture f = fixtureOf(args);
    Files.write(dir.resolve("policy.yaml"), f.yaml);
    byte[] body = Requests.startWorkflow(f.namespaceNames[f.allowedNamespace[0]], INPUT_BYTES)
        .toByteArray();
    ByteBuffer framed = ByteBuffer.allocate(5 + body.length);
    framed.put((byte) 0).putInt(body.length).put(body);
    Files.write(dir.resolve("start-workflow.grpc"), framed.array());
    Files.writeString(dir.resolve("secret.txt"), f.secrets[0]);
    Files.writeString(dir.resolve("namespace.txt"), f.namespaceNames[f.allowedNamespace[0]]);
    System.out.println("{\"mode\":\"fixture\",\"principals\":" + f.userIds.length
        + ",\"policy_bytes\":" + f.yaml.length + ",\"request_bytes\":" + body.length + "}");
  }

  // ---------------------------------------------------------------- unary

  /** Per-caller request variants, pre-serialized. */
  static final class Caller {
    final String authorization;
    final String allowedNamespace;
    final String foreignNamespace;
    final byte[] allowed;
    final byte[] denied;

    Caller(PolicyFixture f, int user, boolean poll) {
      authorization = "Bearer " + f.secrets[user];
      allowedNamespace = f.namespaceNames[f.allowedNamespace[user]];
      foreignNamespace = f.namespaceNames[f.foreignNamespace[user]];
      if (poll) {
        allowed = pollRequest(allowedNamespace);
        denied = pollRequest(foreignNamespace);
      } else {
        allowed = Requests.startWorkflow(allowedNamespace, INPUT_BYTES).toByteArray();
        denied = Requests.startWorkflow(foreignNamespace, INPUT_BYTES).toByteArray();
      }
    }

    static byte[] pollRequest(String namespace) {
      return PollWorkflowTaskQueueRequest.newBuilder()
          .setNamespace(namespace)
          .setTaskQueue(TaskQueue.newBuilder().setName("order-processing-tq"))
          .setIdentity("12345@worker-host-3.prod.internal")
          .build().toByteArray();
    }

    Metadata headers(boolean deny) {
      Metadata md = new Metadata();
      md.put(AUTHORIZATION, authorization);
      md.put(NAMESPACE, deny ? foreignNamespace : allowedNamespace);
      return md;
    }
  }

  static Caller[] callers(Map<String, String> args, boolean poll) {
    PolicyFixture f = fixtureOf(args);
    Caller[] callers = new Caller[f.userIds.length];
    for (int u = 0; u < callers.length; u++) {
      callers[u] = new Caller(f, u, poll);
    }
    return callers;
  }

  static ManagedChannel[] channels(String target, int count) {
    return channels(target, count, null);
  }

  /** {@code loop}: run every channel's transport on this one event loop; null: grpc's default. */
  static ManagedChannel[] channels(String target, int count, EventLoopGroup loop) {
    ManagedChannel[] channels = new ManagedChannel[count];
    for (int i = 0; i < count; i++) {
      NettyChannelBuilder builder = NettyChannelBuilder.forTarget(target)
          .usePlaintext()
          .directExecutor()
          .maxInboundMessageSize(16 * 1024 * 1024);
      if (loop != null) {
        builder.eventLoopGroup(loop).channelType(
            loop instanceof EpollEventLoopGroup ? EpollSocketChannel.class : NioSocketChannel.class);
      }
      channels[i] = builder.build();
    }
    return channels;
  }

  private static EventLoopGroup singleLoop() {
    DefaultThreadFactory threads = new DefaultThreadFactory("client-loop", true);
    return Epoll.isAvailable()
        ? new EpollEventLoopGroup(1, threads) : new NioEventLoopGroup(1, threads);
  }

  static final class UnaryRun {
    final ManagedChannel[] channels;
    final Caller[] callers;
    final double denyFraction;
    final LogLinearHistogram histogram = new LogLinearHistogram();
    final AtomicLong ok = new AtomicLong();
    final AtomicLong denied = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong wrongOutcome = new AtomicLong();
    final Map<String, AtomicLong> errorCodes = new ConcurrentHashMap<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "retry");
      t.setDaemon(true);
      return t;
    });
    volatile boolean recording;
    volatile boolean stopping;

    UnaryRun(ManagedChannel[] channels, Caller[] callers, double denyFraction) {
      this.channels = channels;
      this.callers = callers;
      this.denyFraction = denyFraction;
    }

    /** Starts a closed loop of {@code calls} calls always in flight. */
    void startClosedLoop(int calls) {
      inFlight.set(calls);
      for (int slot = 0; slot < calls; slot++) {
        issue(slot);
      }
    }

    /** Stops issuing and waits (at most 35 s, past any call's deadline) for calls in flight. */
    void stopAndDrain() throws InterruptedException {
      stopping = true;
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(35);
      while (inFlight.get() > 0 && System.nanoTime() < until) {
        Thread.sleep(5);
      }
    }

    /** Closed loop: a call, and on its completion the next, until stopping. */
    void issue(int slot) {
      if (stopping) {
        inFlight.decrementAndGet();
        return;
      }
      send(slot, true);
    }

    /** One call; {@code loop}: issue the next one from its completion. */
    void send(int slot, boolean loop) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      Caller caller = callers[random.nextInt(callers.length)];
      boolean deny = denyFraction > 0 && random.nextDouble() < denyFraction;
      ClientCall<byte[], byte[]> call = channels[slot % channels.length]
          .newCall(START, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS));
      long start = System.nanoTime();
      call.start(new ClientCall.Listener<>() {
        @Override
        public void onClose(Status status, Metadata trailers) {
          long elapsed = System.nanoTime() - start;
          if (recording) {
            histogram.record(elapsed);
            Status.Code code = status.getCode();
            if (code == Status.Code.OK) {
              ok.incrementAndGet();
              if (deny) {
                wrongOutcome.incrementAndGet();
              }
            } else if (code == Status.Code.PERMISSION_DENIED) {
              denied.incrementAndGet();
              if (!deny) {
                wrongOutcome.incrementAndGet();
              }
            } else {
              errors.incrementAndGet();
              errorCodes.computeIfAbsent(code.name(), k -> new AtomicLong()).incrementAndGet();
            }
          }
          Status.Code code = status.getCode();
          if (!loop) {
            inFlight.decrementAndGet();
          } else if (code == Status.Code.OK || code == Status.Code.PERMISSION_DENIED) {
            issue(slot);
          } else {
            // Transport trouble: do not spin; try again shortly.
            retry.schedule(() -> issue(slot), 10, TimeUnit.MILLISECONDS);
          }
        }
      }, caller.headers(deny));
      call.request(1);
      call.sendMessage(deny ? caller.denied : caller.allowed);
      call.halfClose();
    }
  }

  static void unary(Map<String, String> args) throws Exception {
    String target = required(args, "target");
    int concurrency = Integer.parseInt(args.getOrDefault("concurrency", "64"));
    double warmup = Double.parseDouble(args.getOrDefault("warmup", "3"));
    double duration = Double.parseDouble(args.getOrDefault("duration", "10"));
    double denyFraction = Double.parseDouble(args.getOrDefault("deny-fraction", "0"));
    int channelCount = Integer.parseInt(args.getOrDefault("channels", "4"));
    long[] midPids = pids(args.get("cpu-pids"));
    long[] upstreamPids = pids(args.get("upstream-pid"));

    // --rate R: open loop at R calls/s (at most --concurrency in flight; beyond that a call is
    // skipped and counted) instead of the closed loop with --concurrency calls always in flight.
    double rate = Double.parseDouble(args.getOrDefault("rate", "0"));
    // --tick-us T: the pacer wakes every T microseconds and sends the calls that have come due.
    // 1000 by default: at 200 the client spent ~35 % more CPU per call (mostly in the kernel, on
    // timer wake-ups) for no better latency; at 5000 the bursts themselves queued.
    long tickMicros = Long.parseLong(args.getOrDefault("tick-us", "1000"));

    // Open loop: one event loop carries every channel and also paces the calls, so a call is
    // started on the thread that writes it (no hand-off and wake-up per call, which made the
    // open-loop client twice as costly per call as the closed loop and starved the paths it
    // measures of CPU on a small machine).
    EventLoopGroup pacer = rate > 0 ? singleLoop() : null;
    ManagedChannel[] channels =
        channels(target, Math.min(channelCount, Math.max(1, concurrency)), pacer);
    Caller[] callers = callers(args, false);
    // --prewarm S: first S seconds of closed loop at 64 in flight on the same channels, not
    // recorded, so this JVM's own code is compiled before a paced run measures anything (a cold
    // client pays JIT compilation on the cores it shares with the paths under test).
    double prewarm = Double.parseDouble(args.getOrDefault("prewarm", "0"));
    if (prewarm > 0) {
      UnaryRun warm = new UnaryRun(channels, callers, denyFraction);
      warm.startClosedLoop(64);
      sleepSeconds(prewarm);
      warm.stopAndDrain();
    }
    UnaryRun run = new UnaryRun(channels, callers, denyFraction);
    AtomicLong skipped = new AtomicLong();
    ScheduledFuture<?> ticker = null;
    if (rate > 0) {
      long begin = System.nanoTime();
      long[] issued = {0};
      ticker = pacer.next().scheduleAtFixedRate(() -> {
        long due = (long) ((System.nanoTime() - begin) / 1e9 * rate);
        while (issued[0] < due && !run.stopping) {
          issued[0]++;
          if (run.inFlight.get() >= concurrency) {
            if (run.recording) {
              skipped.incrementAndGet();
            }
            continue;
          }
          run.inFlight.incrementAndGet();
          run.send((int) issued[0], false);
        }
      }, 0, tickMicros, TimeUnit.MICROSECONDS);
    } else {
      run.startClosedLoop(concurrency);
    }
    sleepSeconds(warmup);
    long midCpu0 = cpuTicks(midPids);
    long upCpu0 = cpuTicks(upstreamPids);
    long selfCpu0 = selfCpuNanos();
    long t0 = System.nanoTime();
    run.recording = true;
    sleepSeconds(duration);
    run.recording = false;
    long t1 = System.nanoTime();
    long midCpu1 = cpuTicks(midPids);
    long upCpu1 = cpuTicks(upstreamPids);
    long selfCpu1 = selfCpuNanos();
    if (ticker != null) {
      ticker.cancel(false); // the pacer also stops on run.stopping, set by stopAndDrain
    }
    run.stopAndDrain();
    for (ManagedChannel channel : channels) {
      channel.shutdownNow();
    }
    for (ManagedChannel channel : channels) {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
    if (pacer != null) {
      pacer.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    double seconds = (t1 - t0) / 1e9;
    long calls = run.histogram.count();
    double tick = 1.0 / clockTicksPerSecond();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mode", "unary");
    out.put("label", args.getOrDefault("label", target));
    out.put("path", args.get("path"));
    out.put("target", target);
    out.put("concurrency", concurrency);
    out.put("channels", channels.length);
    out.put("deny_fraction", denyFraction);
    out.put("rate", rate > 0 ? rate : null);
    if (rate > 0) {
      out.put("skipped", skipped.get());
    }
    out.put("seconds", round(seconds, 3));
    out.put("calls", calls);
    out.put("ok", run.ok.get());
    out.put("denied", run.denied.get());
    out.put("errors", run.errors.get());
    out.put("wrong_outcome", run.wrongOutcome.get());
    out.put("calls_per_s", round(calls / seconds, 1));
    out.put("p50_us", round(run.histogram.percentile(50) / 1e3, 1));
    out.put("p99_us", round(run.histogram.percentile(99) / 1e3, 1));
    out.put("p999_us", round(run.histogram.percentile(99.9) / 1e3, 1));
    out.put("max_us", round(run.histogram.max() / 1e3, 1));
    out.put("mean_us", round(run.histogram.mean() / 1e3, 1));
    if (midPids.length > 0) {
      double cpu = (midCpu1 - midCpu0) * tick;
      out.put("mid_cpu_s", round(cpu, 2));
      out.put("mid_cpu_s_per_1k", calls == 0 ? null : round(cpu * 1000 / calls, 4));
    }
    if (upstreamPids.length > 0) {
      double cpu = (upCpu1 - upCpu0) * tick;
      out.put("upstream_cpu_s_per_1k", calls == 0 ? null : round(cpu * 1000 / calls, 4));
    }
    double self = (selfCpu1 - selfCpu0) / 1e9;
    out.put("client_cpu_s_per_1k", calls == 0 ? null : round(self * 1000 / calls, 4));
    if (!run.errorCodes.isEmpty()) {
      Map<String, Object> codes = new LinkedHashMap<>();
      run.errorCodes.forEach((k, v) -> codes.put(k, v.get()));
      out.put("error_codes", codes);
    }
    emit(args, out);
    System.exit(0);
  }

  // ---------------------------------------------------------------- longpoll

  static void longpoll(Map<String, String> args) throws Exception {
    String target = required(args, "target");
    int count = Integer.parseInt(args.getOrDefault("count", "10000"));
    double hold = Double.parseDouble(args.getOrDefault("hold", "60"));
    long deadline = Long.parseLong(args.getOrDefault("deadline", "70"));
    int channelCount = Integer.parseInt(args.getOrDefault("channels", "4"));
    String admin = args.get("admin");
    long pid = Long.parseLong(args.getOrDefault("pid", "0"));

    Caller[] callers = callers(args, true);
    ManagedChannel[] channels = channels(target, channelCount);
    AtomicInteger open = new AtomicInteger();
    AtomicInteger completedOk = new AtomicInteger();
    Map<String, AtomicLong> closedCodes = new ConcurrentHashMap<>();
    List<ClientCall<byte[], byte[]>> calls = new ArrayList<>(count);
    Sampler sampler = new Sampler(admin, pid);
    Map<String, Object> before = sampler.sample();

    long openStart = System.nanoTime();
    for (int i = 0; i < count; i++) {
      Caller caller = callers[i % callers.length];
      ClientCall<byte[], byte[]> call = channels[i % channels.length]
          .newCall(POLL, CallOptions.DEFAULT.withDeadlineAfter(deadline, TimeUnit.SECONDS));
      open.incrementAndGet();
      call.start(new ClientCall.Listener<>() {
        @Override
        public void onClose(Status status, Metadata trailers) {
          open.decrementAndGet();
          if (status.isOk()) {
            completedOk.incrementAndGet();
          } else {
            closedCodes.computeIfAbsent(status.getCode().name(), k -> new AtomicLong())
                .incrementAndGet();
          }
        }
      }, caller.headers(false));
      call.request(1);
      call.sendMessage(caller.allowed);
      call.halfClose();
      calls.add(call);
      if (i % 500 == 499) {
        Thread.sleep(5); // let the event loops flush; opening still takes well under a second
      }
    }
    double openSeconds = (System.nanoTime() - openStart) / 1e9;

    // Hold: sample every 5 s (open calls, proxy heap, RSS, threads), keep the maxima.
    long holdStart = System.nanoTime();
    long holdEnd = holdStart + (long) (hold * 1e9);
    int minOpen = Integer.MAX_VALUE;
    double maxHeap = 0;
    long maxRss = 0;
    long maxThreads = 0;
    int samples = 0;
    Map<String, Object> last = null;
    while (true) {
      long now = System.nanoTime();
      long next = Math.min(holdEnd, now + TimeUnit.SECONDS.toNanos(5));
      if (now >= holdEnd) {
        break;
      }
      Thread.sleep(Math.max(1, (next - now) / 1_000_000));
      last = sampler.sample();
      samples++;
      minOpen = Math.min(minOpen, open.get());
      maxHeap = Math.max(maxHeap, ((Number) last.getOrDefault("heap_used_mib", 0)).doubleValue());
      maxRss = Math.max(maxRss, ((Number) last.getOrDefault("rss_mib", 0L)).longValue());
      maxThreads = Math.max(maxThreads, ((Number) last.getOrDefault("threads", 0L)).longValue());
    }
    int openAtEnd = open.get();
    Map<String, Object> afterGc = new LinkedHashMap<>();
    if (pid > 0) {
      // Live heap with the calls still open: a full GC in the proxy, then sample again.
      Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "GC.run")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      jcmd.waitFor(30, TimeUnit.SECONDS);
      afterGc = sampler.sample();
    }
    int openAfterGc = open.get();
    Map<String, Object> codes = new LinkedHashMap<>();
    closedCodes.forEach((k, v) -> codes.put(k, v.get()));
    for (ClientCall<byte[], byte[]> call : calls) {
      call.cancel("benchmark over", null);
    }
    for (ManagedChannel channel : channels) {
      channel.shutdownNow();
    }

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mode", "longpoll");
    out.put("label", args.getOrDefault("label", target));
    out.put("target", target);
    out.put("count", count);
    out.put("channels", channels.length);
    out.put("deadline_s", deadline);
    out.put("open_seconds", round(openSeconds, 2));
    out.put("hold_s", hold);
    out.put("min_open_during_hold", minOpen == Integer.MAX_VALUE ? openAtEnd : minOpen);
    out.put("open_at_end", openAtEnd);
    out.put("open_after_gc_sample", openAfterGc);
    out.put("completed_ok", completedOk.get());
    out.put("closed_early", codes);
    out.put("samples", samples);
    out.put("max_heap_used_mib", round(maxHeap, 1));
    out.put("max_rss_mib", maxRss);
    out.put("max_threads", maxThreads);
    out.put("before", before);
    out.put("at_end", last);
    out.put("after_full_gc", afterGc);
    emit(args, out);
    System.exit(0);
  }

  /** Samples the proxy: heap and threads from its /metrics, RSS and VmHWM from /proc. */
  static final class Sampler {
    final String admin;
    final long pid;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Sampler(String admin, long pid) {
      this.admin = admin;
      this.pid = pid;
    }

    Map<String, Object> sample() {
      Map<String, Object> s = new LinkedHashMap<>();
      if (admin != null) {
        try {
          String metrics = http.send(HttpRequest.newBuilder(URI.create("http://" + admin + "/metrics"))
                  .timeout(Duration.ofSeconds(10)).GET().build(),
              HttpResponse.BodyHandlers.ofString()).body();
          double heap = 0;
          double threads = -1;
          for (String line : metrics.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
              heap += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith("jvm_threads_live_threads")) {
              threads = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
          }
          s.put("heap_used_mib", round(heap / (1024 * 1024), 1));
          s.put("threads", (long) threads);
        } catch (IOException | InterruptedException | RuntimeException e) {
          s.put("metrics_error", String.valueOf(e));
        }
      }
      if (pid > 0) {
        try {
          for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
              s.put("rss_mib", kib(line) / 1024);
            } else if (line.startsWith("VmHWM:")) {
              s.put("hwm_mib", kib(line) / 1024);
            } else if (line.startsWith("Threads:")) {
              s.put("os_threads", Long.parseLong(line.substring(8).trim()));
            }
          }
        } catch (IOException e) {
          s.put("proc_error", String.valueOf(e));
        }
      }
      return s;
    }

    static long kib(String line) {
      return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
  }

  // ---------------------------------------------------------------- helpers

  static long[] pids(String list) {
    if (list == null || list.isBlank()) {
      return new long[0];
    }
    return java.util.Arrays.stream(list.split("[,+ ]+")).filter(s -> !s.isBlank())
        .mapToLong(Long::parseLong).toArray();
  }

  /** utime + stime of the given processes (all threads), in clock ticks; a gone process adds 0. */
  static long cpuTicks(long[] pids) {
    long total = 0;
    for (long pid : pids) {
      try {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        total += Long.parseLong(f[11]) + Long.parseLong(f[12]);
      } catch (IOException e) {
        // process ended
      }
    }
    return total;
  }

  static long clockTicksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      p.waitFor(5, TimeUnit.SECONDS);
      return Long.parseLong(out);
    } catch (IOException | InterruptedException | NumberFormatException e) {
      return 100;
    }
  }

  static long selfCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static void sleepSeconds(double seconds) throws InterruptedException {
    Thread.sleep((long) (seconds * 1000));
  }

  static double round(double value, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }

  static String required(Map<String, String> args, String name) {
    String value = args.get(name);
    if (value == null) {
      System.err.println("missing --" + name);
      System.exit(2);
    }
    return value;
  }

  static Map<String, String> parseFlags(String[] argv) {
    Map<String, String> args = new LinkedHashMap<>();
    for (int i = 1; i < argv.length; i++) {
      String a = argv[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + a);
      }
      int eq = a.indexOf('=');
      if (eq > 0) {
        args.put(a.substring(2, eq), a.substring(eq + 1));
      } else if (i + 1 < argv.length) {
        args.put(a.substring(2), argv[++i]);
      } else {
        throw new IllegalArgumentException("flag " + a + " needs a value");
      }
    }
    return args;
  }

  static void emit(Map<String, String> args, Map<String, Object> out) throws IOException {
    String json = Json.write(out);
    System.out.println(json);
    String file = args.get("out");
    if (file != null) {
      Files.writeString(Path.of(file), json + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }

  /** Just enough JSON for flat maps of numbers, strings and nested maps. */
  static final class Json {
    static String write(Object value) {
      StringBuilder sb = new StringBuilder();
      write(sb, value);
      return sb.toString();
    }

    static void write(StringBuilder sb, Object value) {
      if (value == null) {
        sb.append("null");
      } else if (value instanceof Map<?, ?> map) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          string(sb, String.valueOf(e.getKey()));
          sb.append(':');
          write(sb, e.getValue());
        }
        sb.append('}');
      } else if (value instanceof Double d) {
        if (d.isNaN() || d.isInfinite()) {
          sb.append("null");
        } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
          sb.append(String.format(Locale.ROOT, "%.1f", d));
        } else {
          sb.append(d);
        }
      } else if (value instanceof Number || value instanceof Boolean) {
        sb.append(value);
      } else {
        string(sb, String.valueOf(value));
      }
    }

    static void string(StringBuilder sb, String s) {
      sb.append('"');
      for (char c : s.toCharArray()) {
        switch (c) {
          case '"' -> sb.append("\\\"");
          case '\\' -> sb.append("\\\\");
          case '\n' -> sb.append("\\n");
          default -> {
            if (c < 0x20) {
              sb.append(String.format("\\u%04x", (int) c));
            } else {
              sb.append(c);
            }
          }
        }
      }
      sb.append('"');
    }
  }

  /**
   * A concurrent log-linear histogram of nanosecond values: 128 linear sub-buckets per power of
   * two, so a reported percentile is within 0.8 % of the recorded value.
   */
  static final class LogLinearHistogram {
    static final int SUB_BITS = 7;
    static final int SUB = 1 << SUB_BITS;
    final AtomicLongArray counts = new AtomicLongArray((64 - SUB_BITS + 1) * SUB);
    final AtomicLong total = new AtomicLong();
    final AtomicLong sum = new AtomicLong();
    final AtomicLong maxValue = new AtomicLong();

    static int index(long v) {
      if (v < SUB) {
        return (int) Math.max(0, v);
      }
      int exp = 63 - Long.numberOfLeadingZeros(v); // >= SUB_BITS
      int sub = (int) ((v >>> (exp - SUB_BITS)) & (SUB - 1));
      return (exp - SUB_BITS + 1) * SUB + sub;
    }

    /** The middle of the values bucket {@code i} holds. */
    static double valueOf(int i) {
      if (i < SUB) {
        return i;
      }
      int exp = i / SUB + SUB_BITS - 1;
      int sub = i % SUB;
      long low = (1L << exp) + ((long) sub << (exp - SUB_BITS));
      long width = 1L << (exp - SUB_BITS);
      return low + width / 2.0;
    }

    void record(long nanos) {
      counts.incrementAndGet(index(nanos));
      total.incrementAndGet();
      sum.addAndGet(nanos);
      maxValue.accumulateAndGet(nanos, Math::max);
    }

    long count() {
      return total.get();
    }

    double mean() {
      long n = total.get();
      return n == 0 ? 0 : (double) sum.get() / n;
    }

    long max() {
      return maxValue.get();
    }

    double percentile(double p) {
      long n = 0;
      for (int i = 0; i < counts.length(); i++) {
        n += counts.get(i);
      }
      if (n == 0) {
        return 0;
      }
      long rank = (long) Math.ceil(p / 100.0 * n);
      long seen = 0;
      for (int i = 0; i < counts.length(); i++) {
        seen += counts.get(i);
        if (seen >= Math.max(1, rank)) {
          return Math.min(valueOf(i), maxValue.get());
        }
      }
      return maxValue.get();
    }
  }
}
