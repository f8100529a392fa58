package dev.temporalrbac.proxy.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.proxy.config.ProxyConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/kubernetes/sidecar}: the proxy is a native sidecar the worker dials, the worker
 * never sees the upstream key, and only Prometheus reaches the admin port.
 */
class SidecarManifestsTest {
  @TempDir
  Path tmp;

  @Test
  void theProxyIsANativeSidecarThatTheWorkerDials() throws IOException {
    ManifestFolder folder = ManifestFolder.named("sidecar");
    ProxyContainer proxy = folder.proxy();
    Map<String, String> settings = PodConfig.of(proxy, PodFilesystem.of(folder, proxy, tmp))
        .settings();

    assertTrue(proxy.init(), proxy.where() + ": a native sidecar is an init container");
    assertEquals("Always", Yml.text(proxy.container(), "restartPolicy"), proxy.where());
    assertFalse(proxy.probe("startupProbe").isEmpty(),
        proxy.where() + ": the worker starts once the sidecar's startupProbe passes");
    List<Object> workers = Yml.list(proxy.owner().podSpec(), "containers");
    assertFalse(workers.isEmpty(), proxy.owner().where() + ": no worker container");
    for (Object worker : workers) {
      String address = Yml.list(worker, "env").stream()
          .filter(e -> "TEMPORAL_ADDRESS".equals(Yml.text(e, "name")))
          .map(e -> Yml.text(e, "value")).findFirst().orElse(null);
      assertEquals(settings.get("listen"), address, proxy.owner().where() + " container "
          + Yml.text(worker, "name") + ": TEMPORAL_ADDRESS must be the proxy's listen address");
    }
  }

  @Test
  void onlyTheProxyMountsTheUpstreamKey() throws IOException {
    ManifestFolder folder = ManifestFolder.named("sidecar");
    ProxyContainer proxy = folder.proxy();
    PodFilesystem files = PodFilesystem.of(folder, proxy, tmp);
    Map<String, String> settings = PodConfig.of(proxy, files).settings();

    assertEquals("replace", settings.get("upstream.credentials.mode"), proxy.where());
    PodFilesystem.Mount key = files.mountOf(settings.get("upstream.credentials.api_key_file"));
    assertTrue(key != null && key.kind().equals("secret"), proxy.where() + ": " + key);
    String volume = Yml.list(proxy.owner().podSpec(), "volumes").stream()
        .filter(v -> key.source().equals(Yml.text(v, "secret", "secretName")))
        .map(v -> Yml.text(v, "name")).findFirst().orElseThrow();
    for (Object worker : Yml.list(proxy.owner().podSpec(), "containers")) {
      boolean mounts = Yml.list(worker, "volumeMounts").stream()
          .anyMatch(m -> volume.equals(Yml.text(m, "name")));
      boolean readsSecret = Yml.list(worker, "env").stream().anyMatch(e ->
          key.source().equals(Yml.text(e, "valueFrom", "secretKeyRef", "name")));
      assertFalse(mounts || readsSecret, proxy.owner().where() + " container "
          + Yml.text(worker, "name") + " can read the upstream key (Secret " + key.source() + ")");
    }
  }

  @Test
  void onlyPrometheusReachesTheAdminPort() throws IOException {
    ManifestFolder folder = ManifestFolder.named("sidecar");
    ProxyContainer proxy = folder.proxy();
    KubeObject policy = folder.only("NetworkPolicy");
    ProxyConfig config = PodConfig.of(proxy, PodFilesystem.of(folder, proxy, tmp.resolve("pod")))
        .load(tmp);

    assertEquals(proxy.owner().namespace(), policy.namespace(), policy.where());
    assertTrue(Selectors.matches(Yml.map(policy.body(), "spec", "podSelector"),
        proxy.owner().podLabels()), policy.where() + ": does not select the worker's pods");
    assertEquals(List.of(), AdminPortRules.problems(policy, proxy, config));
  }
}
