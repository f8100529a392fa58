package dev.temporalrbac.policy.identity.jwt;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The JWKS, held immutable and swapped whole; fetched in the background, never on a call.
 *
 * <p>{@link #loadInitial} fetches once on the caller's thread, so a proxy can refuse to start
 * without keys. {@link #start} then refetches every {@code refresh_interval} on the given
 * scheduler; a failed fetch keeps the last good set (logging one WARNING per streak of failures,
 * naming the source without credentials, never a key). A token naming an unknown key id asks for
 * an early refetch ({@link #refetchSoon}), honoured at most once per
 * {@code unknownKeyRefetchInterval} by the injected clock.
 *
 * <p>Threading: {@link #current} and {@link #refetchSoon} are lock-free and never block, for the
 * call path; fetches run one at a time on the scheduler (or the thread of {@link #loadInitial}).
 */
public final class JwksKeys implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(JwksKeys.class.getName());
  /** A JWKS larger than this is refused: real ones are a few KiB. */
  static final int MAX_JWKS_BYTES = 1 << 20;
  private static final long NEVER = Long.MIN_VALUE;

  private final JwtSettings settings;
  private final Clock clock;
  /** The source as it may be shown: a URL without user info or query, or the file path. */
  private final String shownSource;
  private final AtomicLong lastRefetchMillis = new AtomicLong(NEVER);
  private volatile KeySet current = KeySet.EMPTY;
  private volatile String lastError;
  private volatile ScheduledExecutorService scheduler;
  private volatile ScheduledFuture<?> periodic;
  private volatile boolean closed;
  /** Guarded by {@code this}: whether the last fetch failed (one WARNING per failure streak). */
  private boolean failing;

  public JwksKeys(JwtSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.shownSource = shown(settings.jwks());
  }

  /**
   * Fetches once on the calling thread (bounded by {@code fetchTimeout}).
   *
   * @throws IOException naming the source and the cause when the fetch fails or the set holds no
   *     usable signing key
   */
  public void loadInitial() throws IOException {
    if (!load()) {
      throw new IOException(lastError);
    }
  }

  /**
   * Refetches every {@code refreshInterval} on {@code scheduler}, which also runs the refetches
   * unknown key ids ask for. Call once.
   */
  public void start(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
    long every = settings.refreshInterval().toMillis();
    this.periodic = scheduler.scheduleWithFixedDelay(this::refresh, every, every,
        TimeUnit.MILLISECONDS);
  }

  /** When the keys in force were fetched; {@link Instant#EPOCH} before the first success. */
  public Instant lastLoaded() {
    return current.loadedAt();
  }

  /** Why the last fetch failed, naming the source and cause; null when it succeeded. */
  public String lastError() {
    return lastError;
  }

  @Override
  public void close() {
    closed = true;
    ScheduledFuture<?> task = periodic;
    if (task != null) {
      task.cancel(false);
    }
  }

  /** The keys in force. Lock-free. */
  KeySet current() {
    return current;
  }

  /** The source for messages (no credentials). */
  String source() {
    return shownSource;
  }

  /**
   * Asks for a fetch on the scheduler because a token named a key id the set lacks. Honoured at
   * most once per {@code unknownKeyRefetchInterval}; does nothing before {@link #start} or after
   * {@link #close}. Never blocks.
   */
  void refetchSoon() {
    ScheduledExecutorService executor = scheduler;
    if (executor == null || closed) {
      return;
    }
    long now = clock.millis();
    long last = lastRefetchMillis.get();
    if (last != NEVER && now - last < settings.unknownKeyRefetchInterval().toMillis()) {
      return;
    }
    if (lastRefetchMillis.compareAndSet(last, now)) {
      try {
        executor.execute(this::refresh);
      } catch (RejectedExecutionException e) {
        // the scheduler is shutting down: the keys in force stay
      }
    }
  }

  /** A scheduled fetch; none once closed. */
  private void refresh() {
    if (!closed) {
      load();
    }
  }

  /** One fetch; swaps the set in on success. Returns whether it succeeded. */
  private synchronized boolean load() {
    try {
      KeySet fresh = KeySet.of(fetch(), current, clock.instant());
      if (fresh.isEmpty()) {
        throw new IOException("it holds no usable signing key (an RSA, EC or Ed25519 public key"
            + " with a kid, not marked for encryption)");
      }
      current = fresh;
      lastError = null;
      if (failing) {
        LOG.info("JWKS from " + shownSource + " fetched again (" + fresh.byKid().size()
            + " keys)");
      }
      failing = false;
      return true;
    } catch (IOException | ParseException | RuntimeException e) {
      lastError = "cannot load the JWKS from " + shownSource + ": " + causeOf(e);
      if (!failing && periodic != null) {
        LOG.log(Level.WARNING, lastError + "; keeping the " + current.byKid().size()
            + " keys loaded at " + current.loadedAt());
      }
      failing = true;
      return false;
    }
  }

  private JWKSet fetch() throws IOException, ParseException {
    String source = settings.jwks();
    if (!isUrl(source)) {
      return JWKSet.load(new File(source));
    }
    int timeout = (int) Math.min(Integer.MAX_VALUE, settings.fetchTimeout().toMillis());
    DefaultResourceRetriever retriever =
        new DefaultResourceRetriever(timeout, timeout, MAX_JWKS_BYTES);
    URL url;
    try {
      url = new URI(source).toURL();
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IOException("not a valid URL");
    }
    return JWKSet.parse(retriever.retrieveResource(url).getContent());
  }

  private static boolean isUrl(String source) {
    return source.startsWith("http://") || source.startsWith("https://");
  }

  /** A URL without user info and query (either may carry a secret), or the file path. */
  static String shown(String source) {
    if (!isUrl(source)) {
      return source;
    }
    try {
      URI uri = new URI(source);
      return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
          + (uri.getRawPath() == null ? "" : uri.getRawPath());
    } catch (URISyntaxException e) {
      return "(an invalid URL)";
    }
  }

  /** The cause for messages; the configured source is replaced by its shown form. */
  private String causeOf(Exception e) {
    String message = e.getMessage() == null ? "" : e.getMessage()
        .replace(settings.jwks(), shownSource);
    if (e instanceof ParseException) {
      return "it is not a JSON Web Key Set (" + message + ")";
    }
    String kind = e.getClass().getSimpleName();
    return message.isEmpty() ? kind : kind + ": " + message;
  }
}
