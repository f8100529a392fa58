package dev.temporalrbac.proxy.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The proxy container's security context, pod-level settings counting where Kubernetes lets the
 * container inherit them: a non-root numeric user, the runtime's default seccomp profile, a
 * read-only root filesystem with a writable {@code /tmp} (the JVM's and Netty's scratch), no
 * privilege escalation, every capability dropped. Stateless.
 */
final class Lockdown {
  private Lockdown() {}

  static List<String> problems(ProxyContainer proxy, PodFilesystem files) {
    List<String> problems = new ArrayList<>();
    String where = proxy.where();
    Map<String, Object> pod = Yml.map(proxy.owner().podSpec(), "securityContext");
    Map<String, Object> own = proxy.securityContext();
    if (!"true".equals(either(own, pod, "runAsNonRoot"))) {
      problems.add(where + ": runAsNonRoot is not true");
    }
    String user = either(own, pod, "runAsUser");
    if (user == null || user.equals("0")) {
      problems.add(where + ": runAsUser must be a non-zero number (the kubelet cannot verify"
          + " runAsNonRoot against a user name in the image)");
    }
    String seccomp = own.containsKey("seccompProfile") ? Yml.text(own, "seccompProfile", "type")
        : Yml.text(pod, "seccompProfile", "type");
    if (!"RuntimeDefault".equals(seccomp)) {
      problems.add(where + ": seccompProfile " + seccomp + ", expected RuntimeDefault");
    }
    if (!"false".equals(Yml.text(own, "allowPrivilegeEscalation"))) {
      problems.add(where + ": allowPrivilegeEscalation is not false");
    }
    if (!Yml.texts(own, "capabilities", "drop").contains("ALL")) {
      problems.add(where + ": capabilities.drop does not hold ALL");
    }
    if (!"true".equals(Yml.text(own, "readOnlyRootFilesystem"))) {
      problems.add(where + ": readOnlyRootFilesystem is not true");
    } else {
      PodFilesystem.Mount tmp = files.mountOf("/tmp");
      if (tmp == null || !tmp.kind().equals("emptyDir")) {
        problems.add(where + ": a read-only root needs an emptyDir at /tmp (JVM perf data,"
            + " Netty's native library), found " + tmp);
      }
    }
    return problems;
  }

  /** The container's value of {@code key}, else the pod's. */
  private static String either(Map<String, Object> container, Map<String, Object> pod,
      String key) {
    String own = Yml.text(container, key);
    return own != null ? own : Yml.text(pod, key);
  }
}
