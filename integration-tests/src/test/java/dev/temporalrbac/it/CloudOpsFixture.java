package dev.temporalrbac.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.temporalrbac.it.Accounts.Principal;
import dev.temporalrbac.it.ItSupport.InJvmProxy;
import dev.temporalrbac.it.RecordingUpstream.Arrival;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.cloud.cloudservice.v1.CloudServiceGrpc;
import io.temporal.api.cloud.cloudservice.v1.CloudServiceGrpc.CloudServiceBlockingStub;
import io.temporal.serviceclient.CloudServiceStubs;
import io.temporal.serviceclient.CloudServiceStubsOptions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Cloud Ops API through the proxy (in this JVM, policy {@code accounts-policy.yaml}) in front
 * of a {@link RecordingUpstream}, with one {@link CloudServiceStubs} per principal of
 * {@link Accounts}: plaintext to the proxy, the principal's API key.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CloudOpsFixture {
  RecordingUpstream upstream;
  InJvmProxy proxy;
  final Map<Principal, CloudServiceStubs> stubs = new HashMap<>();

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    upstream = new RecordingUpstream();
    proxy = InJvmProxy.start(dir, ItSupport.copyResource("accounts-policy.yaml", dir),
        upstream.target());
    for (Principal principal : Accounts.ALL) {
      stubs.put(principal, CloudServiceStubs.newServiceStubs(CloudServiceStubsOptions.newBuilder()
          .setTarget("127.0.0.1:" + proxy.port)
          .setEnableHttps(false) // addApiKey alone would switch TLS on
          .addApiKey(principal::secret)
          .build()));
    }
  }

  @AfterAll
  void stop() throws Exception {
    stubs.values().forEach(CloudServiceStubs::shutdownNow);
    if (proxy != null) {
      proxy.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @BeforeEach
  void forgetEarlierArrivals() {
    upstream.drain();
  }

  /**
   * Runs {@code call} as {@code principal} and checks its status, and that it reached the
   * upstream (once) exactly when that status is OK.
   */
  void expect(Status.Code code, Principal principal, String method,
      Function<CloudServiceBlockingStub, ?> call) {
    upstream.drain();
    Status.Code got;
    String description = "";
    try {
      call.apply(stubs.get(principal).blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS));
      got = Status.Code.OK;
    } catch (StatusRuntimeException e) {
      got = e.getStatus().getCode();
      description = e.getStatus().getDescription();
    }
    List<String> arrived = upstream.drain().stream().map(Arrival::method).toList();
    String what = principal + " " + method;
    assertEquals(code, got, what + ": " + description);
    assertEquals(code == Status.Code.OK
            ? List.of(CloudServiceGrpc.SERVICE_NAME + "/" + method) : List.of(), arrived,
        what + ": what reached the upstream");
  }
}
