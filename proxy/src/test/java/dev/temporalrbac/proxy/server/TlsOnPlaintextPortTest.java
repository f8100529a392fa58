package dev.temporalrbac.proxy.server;

import static dev.temporalrbac.proxy.server.ProxyFixture.DEV;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.policy.catalog.MethodCatalog;
import dev.temporalrbac.policy.eval.Authorizer;
import dev.temporalrbac.proxy.config.ConfigLoader;
import dev.temporalrbac.proxy.config.ProxyConfig;
import dev.temporalrbac.proxy.policy.PolicyHolder;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.embedded.EmbeddedChannel;
import io.grpc.stub.MetadataUtils;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A TLS client hello on the plaintext listener closes the connection with one clear warning
 * (rate-limited), while plaintext HTTP/2 passes through untouched.
 */
@Timeout(60)
class TlsOnPlaintextPortTest {
  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final Logger log = Logger.getLogger(TlsOnPlaintextPort.class.getName());
  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel() == Level.WARNING) {
        warnings.add(record.getMessage());
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void captureLog() {
    log.addHandler(capture);
  }

  @AfterEach
  void releaseLog() {
    log.removeHandler(capture);
  }

  /** The first bytes a real TLS client sends: Java's own client hello. */
  private static byte[] clientHello() throws Exception {
    SSLEngine engine = SSLContext.getDefault().createSSLEngine("proxy.example", 7233);
    engine.setUseClientMode(true);
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.wrap(ByteBuffer.allocate(0), out);
    return Arrays.copyOf(out.array(), out.position());
  }

  @Test
  void aClientHelloOnThePlaintextPortIsClosedWithAWarningNamingPortAndClient() throws Exception {
    RecordingUpstream upstream = RecordingUpstream.netty();
    ProxyConfig config = new ConfigLoader(Map.of()).load(null, Map.of("listen", "127.0.0.1:0",
        "upstream", upstream.target(), "policy", "unused.yaml", "admin", "127.0.0.1:0"));
    try (upstream; ProxyServer proxy = ProxyServer.start(config,
        new Authorizer(MethodCatalog.load(), Clock.systemUTC()),
        new PolicyHolder(ProxyFixture.parse(ProxyFixture.policyYaml())), CallObserver.NONE)) {
      for (int i = 0; i < 2; i++) {
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
          socket.setSoTimeout(20_000); // a connection left open fails the read, not the test's wait
          socket.getOutputStream().write(clientHello());
          socket.getInputStream().readAllBytes(); // the server's SETTINGS, then the close
        }
      }
      assertEquals(List.of("a TLS client hello reached the plaintext port " + proxy.port()
          + " from 127.0.0.1: the client uses TLS but this listener has no tls: section (set"
          + " tls.cert and tls.key), or the client should use plaintext; connection closed"),
          warnings, "one warning for the two hellos within a minute");

      ManagedChannel plaintext =
          NettyChannelBuilder.forAddress("127.0.0.1", proxy.port()).usePlaintext().build();
      try {
        Metadata headers = ProxyFixture.auth(DEV);
        WorkflowServiceGrpc.newBlockingStub(plaintext)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
            .startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder()
                .setNamespace("orders").setWorkflowId("w1").build());
      } finally {
        plaintext.shutdownNow();
      }
      assertEquals(1, warnings.size(), "plaintext gRPC passes without a warning: " + warnings);
    }
  }

  @Test
  void theWarningIsWrittenOncePerMinuteCountingTheOnesLeftOut() throws Exception {
    AtomicLong nanos = new AtomicLong(42);
    TlsOnPlaintextPort port = new TlsOnPlaintextPort(nanos::get);
    byte[] hello = clientHello();

    for (int i = 0; i < 3; i++) {
      EmbeddedChannel channel = new EmbeddedChannel(port.firstBytes(new Received()));
      channel.writeInbound(Unpooled.wrappedBuffer(hello));
      assertFalse(channel.isOpen(), "a client hello must close the connection");
    }
    assertEquals(1, warnings.size(), warnings::toString);

    nanos.addAndGet(TlsOnPlaintextPort.WARN_EVERY.toNanos());
    EmbeddedChannel late = new EmbeddedChannel(port.firstBytes(new Received()));
    late.writeInbound(Unpooled.wrappedBuffer(hello));
    assertEquals(2, warnings.size(), warnings::toString);
    assertTrue(warnings.get(1).endsWith("(2 more since the last such warning)"), warnings.get(1));
  }

  @Test
  void plaintextBytesPassOnUnchangedEvenWhenTheyArriveOneByOne() {
    Received next = new Received();
    EmbeddedChannel channel = new EmbeddedChannel(
        new TlsOnPlaintextPort(System::nanoTime).firstBytes(next));
    for (byte b : PREFACE) {
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    assertTrue(channel.isOpen());
    assertArrayEquals(PREFACE, next.bytes.toByteArray());
    assertEquals(List.of(), warnings);
  }

  @Test
  void onlyAHandshakeRecordOfTls3xIsAClientHello() {
    assertTrue(TlsOnPlaintextPort.isTlsHello(Unpooled.wrappedBuffer(new byte[] {0x16, 3, 1})));
    assertTrue(TlsOnPlaintextPort.isTlsHello(Unpooled.wrappedBuffer(new byte[] {0x16, 3, 3})));
    assertFalse(TlsOnPlaintextPort.isTlsHello(Unpooled.wrappedBuffer(new byte[] {0x17, 3, 3})));
    assertFalse(TlsOnPlaintextPort.isTlsHello(Unpooled.wrappedBuffer(new byte[] {0x16, 2, 0})));
    assertFalse(TlsOnPlaintextPort.isTlsHello(Unpooled.wrappedBuffer(new byte[] {0x16, 3, 9})));
    assertFalse(TlsOnPlaintextPort.isTlsHello(Unpooled.wrappedBuffer(PREFACE)));
  }

  /** Collects the bytes handed on to what would be gRPC's handler. */
  private static final class Received extends ChannelInboundHandlerAdapter {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      byte[] read = new byte[buf.readableBytes()];
      buf.readBytes(read);
      bytes.writeBytes(read);
      buf.release();
    }
  }
}
