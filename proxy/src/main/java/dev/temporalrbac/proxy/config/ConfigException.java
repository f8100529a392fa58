package dev.temporalrbac.proxy.config;

import java.util.List;

/** The proxy's configuration was rejected; lists every problem. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<String> errors;

  public ConfigException(List<String> errors) {
    super(String.join("\n  ", errors));
    this.errors = List.copyOf(errors);
  }

  public List<String> errors() {
    return errors;
  }
}
