package dev.temporalrbac.it;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The tiny workflow the SDK tests run through the proxy: one activity that heartbeats. */
public final class OrderFlow {
  private OrderFlow() {}

  @WorkflowInterface
  public interface OrderWorkflow {
    @WorkflowMethod
    String process(String order);

    @SignalMethod
    void note(String text);
  }

  @ActivityInterface
  public interface ChargeActivity {
    @ActivityMethod
    String charge(String order);
  }

  public static final class OrderWorkflowImpl implements OrderWorkflow {
    private final ChargeActivity activity = Workflow.newActivityStub(ChargeActivity.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofSeconds(30))
            .setHeartbeatTimeout(Duration.ofSeconds(10))
            .build());

    @Override
    public String process(String order) {
      return activity.charge(order);
    }

    @Override
    public void note(String text) {
      // signals are only sent to be refused
    }
  }

  public static final class ChargeActivityImpl implements ChargeActivity {
    /**
     * Heartbeats made per order, so a test that charges an order of its own can see the activity
     * reached that point without reading a count other tests add to.
     */
    private static final Map<String, Integer> HEARTBEATS = new ConcurrentHashMap<>();

    @Override
    public String charge(String order) {
      for (int step = 0; step < 3; step++) {
        Activity.getExecutionContext().heartbeat(step);
        HEARTBEATS.merge(order, 1, Integer::sum);
      }
      return "charged " + order;
    }

    /** Heartbeats the activity has made for {@code order} in this JVM. */
    static int heartbeats(String order) {
      return HEARTBEATS.getOrDefault(order, 0);
    }
  }
}
