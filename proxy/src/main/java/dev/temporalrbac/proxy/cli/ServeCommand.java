package dev.temporalrbac.proxy.cli;

import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.policy.load.PolicyException;
import dev.temporalrbac.proxy.admin.AdminServer;
import dev.temporalrbac.proxy.admin.PolicyAdminService;
import dev.temporalrbac.proxy.config.ConfigException;
import dev.temporalrbac.proxy.config.ConfigLoader;
import dev.temporalrbac.proxy.config.ProxyConfig;
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
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Logger;

/**
 * {@code serve}: runs the proxy until SIGTERM or SIGINT, then drains calls in flight for the
 * grace period and exits 0. Every setting of {@code proxy.yaml} is also a flag.
 */
public final class ServeCommand implements Command {
  private static final Logger LOG = Logger.getLogger(ServeCommand.class.getName());

  private final CountDownLatch stop;

  /** A serve command stopped by SIGTERM/SIGINT. */
  public ServeCommand() {
    this(null);
  }

  /** A serve command stopped when {@code stop} is counted down (tests), or by signals if null. */
  public ServeCommand(CountDownLatch stop) {
    this.stop = stop;
  }

  @Override
  public String name() {
    return "serve";
  }

  @Override
  public String summary() {
    return "run the proxy: authenticate, decide, forward";
  }

  @Override
  public String usage() {
    StringBuilder text = new StringBuilder("usage: serve [--config proxy.yaml] [--SETTING VALUE ...]\n"
        + "  Every setting of the config file is also a flag (flags win):\n");
    ConfigLoader.FLAGS.forEach((flag, key) ->
        text.append(String.format("    --%-38s %s%n", flag, key)));
    text.append("  Stops on SIGTERM/SIGINT: no new calls, calls in flight finish within\n"
        + "  shutdown_grace (default 30s), long polls are cancelled at its end, exit 0.\n"
        + "  Without an upstream it forwards to an embedded Temporal test server (for trying\n"
        + "  the proxy out, not for production).\n"
        + "  With identity.jwt.jwks set, the JWKS is loaded before the proxy listens.\n"
        + "  Exit 1: policy, configuration or JWKS rejected; 2: usage error.\n");
    return text.toString();
  }

  @Override
  public Set<String> valueOptions() {
    Set<String> options = new HashSet<>(ConfigLoader.FLAGS.keySet());
    options.add("config");
    return options;
  }

  @Override
  public int execute(Args args, InputStream in, PrintStream out, PrintStream err)
      throws UsageException {
    Map<String, String> flags = new LinkedHashMap<>();
    for (String flag : ConfigLoader.FLAGS.keySet()) {
      if (args.has(flag)) {
        flags.put(flag, args.get(flag));
      }
    }
    ProxyConfig config;
    try {
      config = new ConfigLoader(System.getenv()).load(
          args.has("config") ? Path.of(args.get("config")) : null, flags);
    } catch (ConfigException e) {
      err.println("serve: configuration rejected:\n  " + e.getMessage());
      return ExitCode.POLICY_ERROR;
    }
    try {
      return run(config, err);
    } catch (IOException e) {
      err.println("serve: " + e.getMessage());
      return ExitCode.POLICY_ERROR;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.POLICY_ERROR;
    }
  }

  private int run(ProxyConfig config, PrintStream err) throws IOException, InterruptedException {
    Clock clock = Clock.systemUTC();
    ProxyMetrics metrics = new ProxyMetrics();
    AuditLevel level = AuditLevel.parse(config.audit());
    AuditLog audit = config.auditFile() == null
        ? AuditLog.toStdout(level, metrics.registry())
        : AuditLog.toFile(config.auditFile(), level, metrics.registry());
    CompositeObserver observer = CompositeObserver.of(metrics, audit);
    PolicyHolder holder = new PolicyHolder(null);
    PolicyWatcher watcher = new PolicyWatcher(config.policyFile(), holder, observer, clock,
        config.policySettle());
    try {
      watcher.loadInitial();
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
    ServerServiceDefinition policyAdmin = new AuthorizingInterceptor(authorizer, holder, observer)
        .wrap(new PolicyAdminService(authorizer, holder, watcher::status));
    EmbeddedTemporal embedded = config.upstream() == null ? EmbeddedTemporal.start() : null;
    ProxyServer proxy = embedded == null
        ? ProxyServer.start(config, authorizer, holder, observer, policyAdmin)
        : ProxyServer.start(config, authorizer, holder, observer, embedded.channel(), policyAdmin);
    AdminServer admin;
    try {
      metrics.upstreamReadiness(proxy::upstreamReady);
      admin = AdminServer.start(config.admin(), metrics, holder, proxy::upstreamReady,
          config.credentials().publicJwks());
    } catch (IOException e) {
      proxy.shutdown(java.time.Duration.ZERO);
      identity.close();
      throw e;
    }
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "policy-watcher");
      thread.setDaemon(true);
      return thread;
    });
    watcher.start(scheduler, config.reloadInterval());
    // a slow JWKS endpoint must not delay a policy reload, so keys refresh on their own thread
    ScheduledExecutorService jwksScheduler = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "jwks-refresh");
      thread.setDaemon(true);
      return thread;
    });
    identity.start(jwksScheduler);
    LOG.info(() -> "ready: proxy on port " + proxy.port() + ", admin on " + admin.address()
        + ", policy " + holder.current().version() + ", upstream " + config.credentials());

    awaitStop();
    LOG.info(() -> "stopping: draining calls in flight for up to " + config.shutdownGrace());
    boolean drained = proxy.shutdown(config.shutdownGrace());
    LOG.info(drained ? "all calls finished; stopped"
        : "grace period over; remaining calls were cancelled");
    watcher.close();
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

  private void awaitStop() throws InterruptedException {
    CountDownLatch latch = stop != null ? stop : new CountDownLatch(1);
    if (stop == null) {
      Signals.onTermination(latch::countDown);
    }
    latch.await();
  }
}
