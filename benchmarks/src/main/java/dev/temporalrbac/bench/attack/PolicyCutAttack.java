package dev.temporalrbac.bench.attack;

import io.grpc.ManagedChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code policy-cut}: the live policy file {@code --policy} is overwritten in place (not by an
 * atomic rename) with its text up to {@code api_keys:} and left so for {@code --hold-seconds},
 * then restored, while allowed calls run. Target: the cut file is never installed (a reload
 * failure is counted in {@code temporal_rbac_policy_reloads_total{result="failure"}}, the
 * policy version stays) and every allowed call passes.
 */
final class PolicyCutAttack {
  private PolicyCutAttack() {}

  static Map<String, Object> run(Options o, Map<String, Object> out) throws Exception {
    Path policy = Path.of(o.required("policy"));
    String admin = o.required("admin");
    int hold = o.integer("hold-seconds", 8);
    byte[] original = Files.readAllBytes(policy);
    String text = new String(original, StandardCharsets.UTF_8);
    int cut = text.indexOf("api_keys:");
    if (cut < 0) {
      throw new IllegalArgumentException(policy + " has no api_keys: section");
    }
    byte[] truncated = text.substring(0, cut + "api_keys:".length())
        .getBytes(StandardCharsets.UTF_8);
    String failure = "result=\"failure\"";
    double failuresBefore = Metrics.sum(admin, "temporal_rbac_policy_reloads_total", failure);
    String versionBefore = Metrics.policyVersion(admin);
    Map<String, Object> during = new LinkedHashMap<>();
    Steady steady = new Steady(o.target(), o.secret(), o.allowed(), o.integer("steady-rate", 20))
        .warm();
    try {
      Files.write(policy, truncated); // in place: truncate, then write
      Thread.sleep(TimeUnit.SECONDS.toMillis(hold));
      out.put("version_changed_to", Metrics.policyVersion(admin).equals(versionBefore)
          ? null : Metrics.policyVersion(admin));
    } finally {
      steady.stop(during);
      Files.write(policy, original);
    }
    ManagedChannel channel = Calls.channel(o.target());
    try {
      out.put("calls_pass_after_restore_s", UpstreamAttacks.firstPass(channel,
          Calls.headers("Bearer " + o.secret(), o.allowed()), o, 30));
    } finally {
      channel.shutdownNow();
    }
    double failuresAfter = Metrics.sum(admin, "temporal_rbac_policy_reloads_total", failure);
    out.put("volume", hold + " s with the cut file");
    out.put("statuses", during.get("steady_statuses"));
    out.put("calls_during", during.get("steady_sent"));
    out.put("calls_ok_during", during.get("steady_ok"));
    out.put("reload_failures_counted", failuresAfter - failuresBefore);
    out.put("pass", during.get("steady_ok").equals(during.get("steady_sent"))
        && failuresAfter - failuresBefore >= 1 && out.get("version_changed_to") == null);
    return out;
  }
}
