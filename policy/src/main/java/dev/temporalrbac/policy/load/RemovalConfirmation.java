package dev.temporalrbac.policy.load;

import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The top-level {@code confirm_removal: {principals: N, api_keys: M}} of a policy document: the
 * author's statement of how many principals (users plus service accounts) and API keys this
 * version keeps, which lets it remove more than half of those in force (see {@link RemovalGuard}).
 *
 * <p>The stated counts must equal the document's own entries exactly, or the whole document is
 * rejected with the line of the wrong count. So a truncated copy of a confirmed file does not
 * load (its counts no longer match), and a confirmation left in the file after its deploy breaks
 * the next edit that changes a count instead of silently confirming a later removal.
 */
final class RemovalConfirmation {
  static final String KEY = "confirm_removal";
  private static final Set<String> FIELDS = Set.of("principals", "api_keys");

  private RemovalConfirmation() {}

  /**
   * Checks {@code node} (null: absent) against the document's counts; true when it is present
   * and matches. Problems go to {@code yaml}.
   *
   * @param principals entries under {@code users} plus {@code service_accounts}
   * @param keys entries under {@code api_keys}
   */
  static boolean read(YamlFields yaml, Node node, int principals, int keys) {
    if (node == null) {
      return false;
    }
    Map<String, Node> fields = yaml.mapping(node, KEY, FIELDS);
    if (!(node instanceof MappingNode)) {
      return false;
    }
    boolean ok = fields.size() == FIELDS.size() || missing(yaml, node, fields);
    ok &= matches(yaml, fields.get("principals"), "principals", principals,
        "users plus service_accounts");
    ok &= matches(yaml, fields.get("api_keys"), "api_keys", keys, "api_keys");
    return ok;
  }

  private static boolean missing(YamlFields yaml, Node node, Map<String, Node> fields) {
    for (String field : FIELDS) {
      if (!fields.containsKey(field)) {
        yaml.error(node, KEY + "." + field, "missing (required: the number of " + field
            + " this version keeps)");
      }
    }
    return false;
  }

  private static boolean matches(YamlFields yaml, Node node, String field, int actual,
      String counted) {
    if (node == null) {
      return false;
    }
    String path = KEY + "." + field;
    String text = yaml.scalar(node, path);
    if (text == null) {
      return false;
    }
    long stated;
    try {
      stated = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      stated = -1;
    }
    if (stated < 0) {
      yaml.error(node, path, "expected a count (a whole number, 0 or more), got '" + text + "'");
      return false;
    }
    if (stated != actual) {
      yaml.error(node, path, "states " + stated + " but the document has " + actual + " ("
          + counted + "); the confirmation must match this version exactly, so a cut-short"
          + " copy of the file cannot pass as confirmed");
      return false;
    }
    return true;
  }
}
