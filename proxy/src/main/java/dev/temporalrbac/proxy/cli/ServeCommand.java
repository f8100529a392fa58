package dev.temporalrbac.proxy.cli;

import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.policy.load.PolicyException;
import dev.temporalrbac.proxy.admin.AdminServer;
import dev.temporalrbac.proxy.admin.PolicyAdminService;
import dev.temporalrbac.proxy.config.ConfigException;
import dev.temporalrbac.proxy.config.ConfigLoader;
import dev.temporalrbac.proxy.config.FileProblem;
import dev.temporalrbac.proxy.config.PolicySourceSettings;
import dev.temporalrbac.proxy.config.ProxyConfig;
import dev.temporalrbac.proxy.observe.AuditFormat;
import dev.temporalrbac.proxy.observe.AuditLevel;
import dev.temporalrbac.proxy.observe.AuditLog;
import dev.temporalrbac.proxy.observe.CompositeObserver;
import dev.temporalrbac.proxy.observe.ProxyMetrics;
import dev.temporalrbac.proxy.policy.PolicyHolder;
import dev.temporalrbac.proxy.policy.PolicyWatcher;
import dev.temporalrbac.proxy.server.AuthorizingInterceptor;
import dev.temporalrbac.proxy.server.ProxyServer;
import io.grpc.ServerServiceDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code serve}: runs the proxy until SIGTERM or SIGINT, then drains calls in flight for the
 * grace period and exits 0. Every setting of {@code proxy.yaml} is also a flag.
 */
@Command(name = "serve", sortOptions = false,
    customSynopsis = {Cli.NAME + " serve [--config=proxy.yaml]", "    [--SETTING=VALUE]..."},
    description = {
        "Runs the proxy: authenticate, decide, forward.",
        "Every setting of the config file is also a flag (flags win); the options below name"
            + " each flag's setting. A relative path in the config file is read from the config"
            + " file's folder; a relative path given as a flag, from the working directory.",
        "Stops on SIGTERM/SIGINT: no new calls, calls in flight finish within shutdown_grace"
            + " (default 30s), long polls are cancelled at its end, exit 0. Without an upstream"
            + " it forwards to an embedded Temporal test server (for trying the proxy out, not"
            + " for production). With identity.jwt.jwks set, the JWKS is loaded before the proxy"
            + " listens.",
        "The policy comes from one of --policy (a file), --policy-dir (every *.yaml/*.yml of a"
            + " directory, e.g. a Kubernetes ConfigMap) or --policy-url (http(s), polled with"
            + " If-None-Match); with --policy-signature-key or --policy-signature-jwks only a"
            + " version whose detached JWS verifies is installed. A failed reload keeps the"
            + " version in force. A URL that cannot be fetched at start does not stop the proxy:"
            + " it starts not ready, denies every call and retries every reload interval.",
        "Exit 1: policy file or directory, configuration or JWKS rejected, a file unreadable or"
            + " a port taken; 2: usage error.",
        ""})
public final class ServeCommand implements Callable<Integer> {
  private static final Logger LOG = Logger.getLogger(ServeCommand.class.getName());

  private final CountDownLatch stop;
  @Spec
  private CommandSpec spec;
  @Mixin
  private HelpOption help;
  @Option(names = "--config", paramLabel = "proxy.yaml", description = "the config file")
  private String config;

  /** A serve command stopped by SIGTERM/SIGINT. */
  public ServeCommand() {
    this(null);
  }

  /** A serve command stopped when {@code stop} is counted down (tests), or by signals if null. */
  public ServeCommand(CountDownLatch stop) {
    this.stop = stop;
  }

  /** This command with every setting's flag ({@link ConfigLoader#FLAGS}) declared. */
  CommandLine commandLine() {
    CommandLine line = new CommandLine(this);
    SettingFlags.declare(line.getCommandSpec(), ConfigLoader.FLAGS.keySet());
    return line;
  }

  /**
   * Runs {@code serve ARGV} alone, as the jar would (tests that run the proxy in their own JVM);
   * returns the exit code.
   */
  public int run(String[] argv, InputStream in, PrintStream out, PrintStream err) {
    return Cli.execute(commandLine(), argv, out, err);
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Map<String, String> flags = SettingFlags.given(spec, ConfigLoader.FLAGS.keySet());
    ProxyConfig proxyConfig;
    try {
      proxyConfig = new ConfigLoader(System.getenv())
          .load(config == null ? null : Path.of(config), flags);
    } catch (ConfigException e) {
      err.println("serve: configuration rejected:\n  " + e.getMessage());
      return ExitCode.POLICY_ERROR;
    }
    try {
      return run(proxyConfig, err);
    } catch (IOException e) {
      err.println("serve: " + e.getMessage());
      return ExitCode.POLICY_ERROR;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.POLICY_ERROR;
    }
  }

  private int run(ProxyConfig config, PrintWriter err) throws IOException, InterruptedException {
    for (PolicySourceSettings source : sources(config)) {
      if (source.kind() == PolicySourceSettings.Kind.FILE
          && PolicyFiles.read(source.path(), err) == null) {
        return ExitCode.POLICY_ERROR; // said why (no such file, a directory, permission denied)
      }
    }
    List<String> unreadable = ServeFiles.unreadableTlsFiles(config);
    if (!unreadable.isEmpty()) {
      err.println("serve: cannot read " + String.join("; ", unreadable));
      return ExitCode.POLICY_ERROR;
    }
    Clock clock = Clock.systemUTC();
    ProxyMetrics metrics = new ProxyMetrics();
    AuditLevel level = AuditLevel.parse(config.audit());
    AuditFormat format = AuditFormat.parse(config.auditFormat());
    AuditLog audit;
    try {
      audit = config.auditFile() == null
          ? AuditLog.toStdout(level, format, metrics.registry())
          : AuditLog.toFile(config.auditFile(), level, format, metrics.registry());
    } catch (IOException e) {
      err.println("serve: cannot open the audit file (audit.file) "
          + FileProblem.describe(config.auditFile(), e));
      metrics.close();
      return ExitCode.POLICY_ERROR;
    }
    CompositeObserver observer = CompositeObserver.of(metrics, audit);
    PolicyHolder holder = new PolicyHolder(null);
    PolicyWatcher watcher = PolicySources.watcher(config.policy(), holder, observer, clock,
        config.policySettle());
    PolicyHolder shadowHolder = config.shadowPolicy() == null ? null : new PolicyHolder(null);
    PolicyWatcher shadowWatcher = shadowHolder == null ? null
        : PolicySources.watcher(config.shadowPolicy(), shadowHolder,
            PolicySources.shadowListener(metrics),
            clock, config.policySettle());
    if (shadowHolder != null) {
      metrics.countShadowDecisions();
    }
    try {
      PolicySources.loadInitial(watcher, config.policy(), "policy");
      if (shadowWatcher != null) {
        PolicySources.loadInitial(shadowWatcher, config.shadowPolicy(), "shadow policy");
      }
    } catch (PolicyException e) {
      err.println("serve: " + e.getMessage());
      audit.close();
      metrics.close();
      return ExitCode.POLICY_ERROR;
    }
    config.identity().warnings().forEach(LOG::warning);
    IdentityEngine identity;
    try {
      identity = IdentityEngine.load(config.identity(), clock);
    } catch (IOException e) {
      err.println("serve: " + e.getMessage());
      audit.close();
      metrics.close();
      return ExitCode.POLICY_ERROR;
    }
    if (identity.keys() != null) {
      metrics.jwksAge(identity.keys()::lastLoaded, clock);
    }
    Authorizer authorizer = new Authorizer(MethodCatalog.load(), clock, identity.identities());
    // PolicyAdmin on the main port, decided by the same engine as every call (admins only)
    ServerServiceDefinition policyAdmin =
        new AuthorizingInterceptor(authorizer, holder, shadowHolder, observer)
            .wrap(new PolicyAdminService(authorizer, holder, watcher::status));
    EmbeddedTemporal embedded = config.upstream() == null ? EmbeddedTemporal.start() : null;
    ProxyServer proxy;
    try {
      proxy = embedded == null
          ? ProxyServer.start(config, authorizer, holder, shadowHolder, observer, policyAdmin)
          : ProxyServer.start(config, authorizer, holder, shadowHolder, observer,
              embedded.channel(), policyAdmin);
    } catch (IOException e) {
      closeAll(identity, embedded, audit, metrics);
      throw PortTaken.explain(e, "listen", config.listen());
    }
    AdminServer admin;
    try {
      metrics.upstreamReadiness(proxy::upstreamReady);
      admin = AdminServer.start(config.admin(), metrics, holder, shadowHolder,
          proxy::upstreamReady, config.credentials().publicJwks());
    } catch (IOException e) {
      proxy.shutdown(Duration.ZERO);
      closeAll(identity, embedded, audit, metrics);
      throw PortTaken.explain(e, "admin", config.admin());
    }
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "policy-watcher");
      thread.setDaemon(true);
      return thread;
    });
    watcher.start(scheduler, config.reloadInterval());
    // a slow shadow source must not delay the enforced policy's reloads: its own thread
    ScheduledExecutorService shadowScheduler = shadowWatcher == null ? null
        : Executors.newSingleThreadScheduledExecutor(task -> {
          Thread thread = new Thread(task, "shadow-policy-watcher");
          thread.setDaemon(true);
          return thread;
        });
    if (shadowWatcher != null) {
      shadowWatcher.start(shadowScheduler, config.reloadInterval());
    }
    // a slow JWKS endpoint must not delay a policy reload, so keys refresh on their own thread
    ScheduledExecutorService jwksScheduler = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "jwks-refresh");
      thread.setDaemon(true);
      return thread;
    });
    identity.start(jwksScheduler);
    LOG.info(() -> "ready: proxy on port " + proxy.port() + ", admin on " + admin.address()
        + ", policy " + (holder.current() == null ? "none yet (" + holder.problem() + ")"
            : holder.current().version()) + ", upstream " + config.credentials());

    awaitStop();
    LOG.info(() -> "stopping: draining calls in flight for up to " + config.shutdownGrace());
    boolean drained = proxy.shutdown(config.shutdownGrace());
    LOG.info(drained ? "all calls finished; stopped"
        : "grace period over; remaining calls were cancelled");
    watcher.close();
    if (shadowWatcher != null) {
      shadowWatcher.close();
      shadowScheduler.shutdownNow();
    }
    scheduler.shutdownNow();
    identity.close();
    jwksScheduler.shutdownNow();
    if (embedded != null) {
      embedded.close();
    }
    admin.close();
    audit.close();
    metrics.close();
    return ExitCode.OK;
  }

  /** The enforced policy's source, and the shadow policy's when one is configured. */
  private static List<PolicySourceSettings> sources(ProxyConfig config) {
    return config.shadowPolicy() == null ? List.of(config.policy())
        : List.of(config.policy(), config.shadowPolicy());
  }

  /** What a failed start leaves open, closed so that a test JVM does not keep it. */
  private static void closeAll(IdentityEngine identity, EmbeddedTemporal embedded, AuditLog audit,
      ProxyMetrics metrics) {
    identity.close();
    if (embedded != null) {
      embedded.close();
    }
    audit.close();
    metrics.close();
  }

  private void awaitStop() throws InterruptedException {
    CountDownLatch latch = stop != null ? stop : new CountDownLatch(1);
    if (stop == null) {
      Signals.onTermination(latch::countDown);
    }
    latch.await();
  }
}
