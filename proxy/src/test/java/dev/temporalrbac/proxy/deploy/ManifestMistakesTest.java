package dev.temporalrbac.proxy.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.temporalrbac.proxy.config.ProxyConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks of {@link KubernetesManifestsTest} fail on the mistakes they exist for, naming the
 * manifest file and what is wrong: a flag {@code serve} does not have, a setting
 * {@code ConfigLoader} does not know, a {@code subPath} policy mount, a credential on a ConfigMap,
 * an id in two files of a policy ConfigMap (judged across the files, as serve judges them), a
 * NetworkPolicy port given by name, not configured, or open to any namespace.
 */
class ManifestMistakesTest {
  @TempDir
  Path tmp;

  /** A proxy Deployment whose container has {@code args} and mounts the two ConfigMaps. */
  private static String deployment(String args, String policyMount) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: proxy, namespace: ns}
        spec:
          template:
            spec:
              containers:
                - name: rbac-proxy
                  image: ghcr.io/example/temporal-rbac-proxy:0.1.0
                  command: [java, -Xmx1g, -jar, /app/temporal-rbac-proxy.jar]
                  args: %s
                  ports: [{name: admin, containerPort: 9090}]
                  volumeMounts:
                    - {name: config, mountPath: /etc/temporal-rbac/config}
                    - %s
              volumes:
                - {name: config, configMap: {name: proxy-config}}
                - {name: policy, configMap: {name: policy}}
        """.formatted(args, policyMount);
  }

  private static final String WHOLE_POLICY_MOUNT =
      "{name: policy, mountPath: /etc/temporal-rbac/policy}";
  private static final String SERVE = "[serve, --config, /etc/temporal-rbac/config/proxy.yaml]";

  /** The ConfigMaps: proxy.yaml with {@code config}'s text, and a one-file policy. */
  private static String configMaps(String config) {
    return configMaps(config, "a.yaml: |\n  service_accounts: [{id: worker, role: read_only}]\n");
  }

  /** The ConfigMaps: proxy.yaml with {@code config}'s text, and the policy's {@code data}. */
  private static String configMaps(String config, String policyData) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: proxy-config, namespace: ns}
        data:
          proxy.yaml: |
        %s
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: policy, namespace: ns}
        data:
        %s
        """.formatted(config.indent(4).stripTrailing(), policyData.indent(2).stripTrailing());
  }

  private ManifestFolder folder(String deployment, String configMaps) throws IOException {
    Path folder = Files.createDirectories(tmp.resolve("manifests"));
    Files.writeString(folder.resolve("deployment.yaml"), deployment);
    Files.writeString(folder.resolve("config.yaml"), configMaps);
    return ManifestFolder.read(folder);
  }

  @Test
  void aFlagServeDoesNotHaveIsNamedWithItsFile() throws IOException {
    ManifestFolder folder = folder(deployment(
        "[serve, --config, /etc/temporal-rbac/config/proxy.yaml, --polcy-dir, /etc/p]",
        WHOLE_POLICY_MOUNT), configMaps("policy: {file: /etc/temporal-rbac/policy/a.yaml}"));
    ProxyContainer proxy = folder.proxy();

    List<String> problems = ServeFlags.problems(proxy.where(), proxy.commandLine());

    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("deployment.yaml: Deployment/proxy container rbac-proxy:"
        + " serve has no option --polcy-dir"), problems.get(0));
  }

  @Test
  void aSettingConfigLoaderDoesNotKnowRejectsTheConfigNamingIt() throws IOException {
    ManifestFolder folder = folder(deployment(SERVE, WHOLE_POLICY_MOUNT),
        configMaps("policy: {file: /etc/temporal-rbac/policy/a.yaml}\nadmn: 0.0.0.0:9090"));
    ProxyContainer proxy = folder.proxy();
    PodConfig config = PodConfig.of(proxy, PodFilesystem.of(folder, proxy, tmp.resolve("pod")));

    AssertionError rejected = assertThrows(AssertionError.class, () -> config.load(tmp));

    assertTrue(rejected.getMessage().startsWith("deployment.yaml: Deployment/proxy container"
        + " rbac-proxy: /etc/temporal-rbac/config/proxy.yaml"), rejected.getMessage());
    assertTrue(rejected.getMessage().contains("unknown setting 'admn'"), rejected.getMessage());
  }

  @Test
  void aSubPathMountOfThePolicyIsRefused() throws IOException {
    ManifestFolder folder = folder(deployment(SERVE, "{name: policy, mountPath:"
        + " /etc/temporal-rbac/policy/a.yaml, subPath: a.yaml}"),
        configMaps("policy: {file: /etc/temporal-rbac/policy/a.yaml}"));
    ProxyContainer proxy = folder.proxy();

    PodFilesystem files = PodFilesystem.of(folder, proxy, tmp.resolve("pod"));

    assertEquals(List.of("deployment.yaml: Deployment/proxy container rbac-proxy mount policy at"
        + " /etc/temporal-rbac/policy/a.yaml: subPath mounts are never updated by the kubelet;"
        + " mount the whole volume as a directory"), files.problems());
    assertEquals(List.of("deployment.yaml: Deployment/proxy container rbac-proxy: policy.file"
        + " /etc/temporal-rbac/policy/a.yaml is on no volume the container mounts"),
        MountRules.check(proxy.where(), files, "policy.file", "/etc/temporal-rbac/policy/a.yaml"));
  }

  @Test
  void anUpstreamKeyOnAConfigMapIsRefused() throws IOException {
    ManifestFolder folder = folder(deployment(SERVE, WHOLE_POLICY_MOUNT),
        configMaps("policy: {file: /etc/temporal-rbac/policy/a.yaml}"));
    ProxyContainer proxy = folder.proxy();
    PodFilesystem files = PodFilesystem.of(folder, proxy, tmp.resolve("pod"));

    List<String> problems = MountRules.check(proxy.where(), files,
        "upstream.credentials.api_key_file", "/etc/temporal-rbac/config/proxy.yaml");

    assertEquals(List.of("deployment.yaml: Deployment/proxy container rbac-proxy:"
        + " upstream.credentials.api_key_file /etc/temporal-rbac/config/proxy.yaml is on the"
        + " configMap proxy-config mounted at /etc/temporal-rbac/config; it must come from a"
        + " secret"), problems);
  }

  @Test
  void aNetworkPolicyPortByNameNotConfiguredOrOpenToAllIsNamed() throws IOException {
    ManifestFolder folder = folder(deployment(SERVE, WHOLE_POLICY_MOUNT), configMaps(
        "policy: {file: /etc/temporal-rbac/policy/a.yaml}\nlisten: 127.0.0.1:7233\n"
        + "admin: 0.0.0.0:9090"));
    ProxyContainer proxy = folder.proxy();
    ProxyConfig config = PodConfig.of(proxy, PodFilesystem.of(folder, proxy, tmp.resolve("pod")))
        .load(tmp);
    KubeObject policy = ManifestFolder.parse(Path.of("networkpolicy.yaml"), """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: admin, namespace: ns}
        spec:
          podSelector: {}
          ingress:
            - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]
              ports: [{port: admin}, {port: 7233}]
            - from: [{podSelector: {}}]
              ports: [{port: 9090}]
        """).get(0);

    String where = "networkpolicy.yaml: NetworkPolicy/admin: ";
    assertEquals(List.of(
        where + "ingress rule 1: port 'admin' is a name, not a number (some network plugins do"
            + " not resolve names, and then the rule admits nothing)",
        where + "port 7233 is none of the ports the proxy's configuration listens on [9090]",
        where + "the admin port 9090 admits {podSelector={}}, not only the monitoring namespace"),
        AdminPortRules.problems(policy, proxy, config));
  }

  /** The policy ConfigMap's {@code data}, mounted whole as the kubelet lays it out under pod. */
  private Path mountedPolicy(String pod, String policyData) throws IOException {
    ManifestFolder folder = folder(deployment(SERVE, WHOLE_POLICY_MOUNT),
        configMaps("policy: {directory: /etc/temporal-rbac/policy}", policyData));
    PodFilesystem files = PodFilesystem.of(folder, folder.proxy(), tmp.resolve(pod));
    assertEquals(List.of(), files.problems());
    return files.resolve("/etc/temporal-rbac/policy");
  }

  @Test
  void anIdInTwoPolicyFilesIsNamedWithBothFiles() throws IOException {
    Path dir = mountedPolicy("pod", """
        a.yaml: |
          service_accounts: [{id: worker, role: read_only}]
        b.yaml: |
          service_accounts: [{id: worker, role: developer}]
        .hidden.yaml: |
          not: [a policy
        """);

    assertEquals(List.of("b.yaml:1: service_accounts[0].id: duplicate principal id 'worker'"
        + " (users and service accounts share one id space; first defined at a.yaml:1)"),
        PolicyDirectory.problems(dir));
  }

  @Test
  void aReferenceIntoAnotherPolicyFileIsJudgedAcrossTheFiles() throws IOException {
    Path good = mountedPolicy("good", """
        groups.yaml: |
          groups: [{id: ops, role: read_only}]
        users.yaml: |
          users: [{id: ann, role: developer, groups: [ops]}]
        """);
    assertEquals(List.of(), PolicyDirectory.problems(good));

    Path wrong = mountedPolicy("wrong", """
        groups.yaml: |
          groups: [{id: ops, role: read_only}]
        users.yaml: |
          users: [{id: ann, role: developer, groups: [opz]}]
        """);
    List<String> problems = PolicyDirectory.problems(wrong);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("users.yaml:1: users[0].groups[0]: unknown group"
        + " 'opz'"), problems.get(0));
  }
}
