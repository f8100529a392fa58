package dev.temporalrbac.proxy.deploy;

import dev.temporalrbac.proxy.config.ConfigException;
import dev.temporalrbac.proxy.config.ConfigLoader;
import dev.temporalrbac.proxy.config.ProxyConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The proxy's configuration as its container would read it: the {@code --config} file from the
 * pod's files and the flags of its command line, loaded by the real {@link ConfigLoader}. The pod's
 * absolute paths are moved under the {@link PodFilesystem}'s root first, so every file the loader
 * opens (an upstream API key, say) is the one the mounts provide, or missing as it would be in the
 * pod.
 */
final class PodConfig {
  private final ProxyContainer proxy;
  private final PodFilesystem files;
  private final String configPath;
  private final Map<String, Object> raw;

  private PodConfig(ProxyContainer proxy, PodFilesystem files, String configPath,
      Map<String, Object> raw) {
    this.proxy = proxy;
    this.files = files;
    this.configPath = configPath;
    this.raw = raw;
  }

  /** Reads the {@code --config} file from the pod's files; fails when it is not there. */
  static PodConfig of(ProxyContainer proxy, PodFilesystem files) throws IOException {
    String configPath = proxy.serveOptions().get("config");
    if (configPath == null) {
      throw new AssertionError(proxy.where() + ": serve has no --config");
    }
    Path file = files.resolve(configPath);
    if (!Files.isRegularFile(file)) {
      throw new AssertionError(proxy.where() + ": --config " + configPath
          + " is not a file of any mount (mounts: " + files.mounts() + ")");
    }
    return new PodConfig(proxy, files, configPath,
        Yml.map(new Yaml(new LoaderOptions()).load(Files.readString(file))));
  }

  /** The {@code --config} path in the pod. */
  String configPath() {
    return configPath;
  }

  /**
   * Every setting that names something, as dotted key to value: the file's, then the flags'
   * (flags win, as in {@code serve}); flags that are no setting are left out.
   */
  Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>();
    flatten("", raw, settings);
    proxy.serveOptions().forEach((flag, value) -> {
      String key = ConfigLoader.FLAGS.get(flag);
      if (key != null) {
        settings.put(key, value);
      }
    });
    return settings;
  }

  /**
   * Loads the configuration with the real {@link ConfigLoader} against the pod's files.
   *
   * @throws AssertionError with the loader's report when it rejects the configuration
   */
  ProxyConfig load(Path scratch) throws IOException {
    Path copy = scratch.resolve("proxy-in-pod.yaml");
    Files.writeString(copy, new Yaml().dump(reroot(raw)));
    Map<String, String> flags = new LinkedHashMap<>();
    proxy.serveOptions().forEach((flag, value) -> {
      if (!flag.equals("config")) {
        flags.put(flag, (String) reroot(value));
      }
    });
    try {
      return new ConfigLoader(proxy.env()).load(copy, flags);
    } catch (ConfigException e) {
      throw new AssertionError(proxy.where() + ": " + configPath
          + " (with the container's flags) is rejected by ConfigLoader:\n  " + e.getMessage());
    }
  }

  /** {@code node} with every absolute path (a text starting with '/') moved under the root. */
  private Object reroot(Object node) {
    if (node instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(k, reroot(v)));
      return copy;
    }
    if (node instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(v -> copy.add(reroot(v)));
      return copy;
    }
    if (node instanceof String text && text.startsWith("/")) {
      return files.resolve(text).toString();
    }
    return node;
  }

  private static void flatten(String prefix, Object node, Map<String, String> out) {
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v,
          out));
    } else if (node != null) {
      out.put(prefix, String.valueOf(node));
    }
  }
}
