package dev.temporalrbac.proxy.server;

import io.grpc.BindableService;
import io.grpc.HandlerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.io.IOException;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An in-process upstream and a proxy in front of it, both on direct executors, with a channel to
 * each: the two hops the smoke and shadow tests start by hand. {@link #close} shuts all four
 * down, whichever were started. Not thread-safe: one test's setup and teardown use it.
 */
final class InProcessHops implements AutoCloseable {
  private Server upstream;
  private Server proxy;
  private ManagedChannel toUpstream;
  private ManagedChannel toProxy;

  /** Starts the upstream with what {@code services} adds to its builder; the channel to it. */
  ManagedChannel startUpstream(UnaryOperator<InProcessServerBuilder> services)
      throws IOException {
    String name = InProcessServerBuilder.generateName();
    upstream = services.apply(InProcessServerBuilder.forName(name).directExecutor())
        .build().start();
    toUpstream = InProcessChannelBuilder.forName(name).directExecutor().build();
    return toUpstream;
  }

  /** Starts the proxy with {@code registry} (a {@link ForwardingRegistry}); the channel to it. */
  ManagedChannel startProxy(HandlerRegistry registry) throws IOException {
    String name = InProcessServerBuilder.generateName();
    proxy = InProcessServerBuilder.forName(name).directExecutor()
        .fallbackHandlerRegistry(registry).build().start();
    toProxy = InProcessChannelBuilder.forName(name).directExecutor().build();
    return toProxy;
  }

  /** A Temporal upstream that records each StartWorkflowExecution's bytes and answers run-1. */
  static BindableService recordingStarts(List<byte[]> arrived) {
    return new WorkflowServiceGrpc.WorkflowServiceImplBase() {
      @Override
      public void startWorkflowExecution(StartWorkflowExecutionRequest request,
          StreamObserver<StartWorkflowExecutionResponse> response) {
        arrived.add(request.toByteArray());
        response.onNext(StartWorkflowExecutionResponse.newBuilder().setRunId("run-1").build());
        response.onCompleted();
      }
    };
  }

  @Override
  public void close() {
    if (toProxy != null) {
      toProxy.shutdownNow();
    }
    if (toUpstream != null) {
      toUpstream.shutdownNow();
    }
    if (proxy != null) {
      proxy.shutdownNow();
    }
    if (upstream != null) {
      upstream.shutdownNow();
    }
  }
}
