package dev.temporalrbac.policy.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Typed access to a composed YAML node tree that records, instead of throwing, every problem with
 * its line, column and field path. Readers return null (or an empty collection) for a bad value,
 * so one pass reports all errors. A value that is not the mapping it should be is reported once:
 * the keys then missing from it are not reported again.
 */
final class YamlFields {
  private final String source;
  /** The file each node came from, when several documents are read as one policy. */
  private final Map<Node, String> sources = new IdentityHashMap<>();
  private final List<PolicyError> errors = new ArrayList<>();
  /** Nodes reported as "expected a mapping": their missing keys are consequences, not errors. */
  private final Set<Node> notMappings = Collections.newSetFromMap(new IdentityHashMap<>());
  /** Per mapping, its first unknown key: a key missing from it is likely that one misspelt. */
  private final Map<Node, Node> firstUnknownKey = new IdentityHashMap<>();

  YamlFields(String source) {
    this.source = source;
  }

  List<PolicyError> errors() {
    return errors;
  }

  /**
   * Marks every node of {@code root} as read from {@code file}, so errors about them name that
   * file. A node reached twice (a YAML alias) keeps its first file.
   */
  void document(Node root, String file) {
    List<Node> pending = new ArrayList<>(List.of(root));
    while (!pending.isEmpty()) {
      Node node = pending.remove(pending.size() - 1);
      if (sources.putIfAbsent(node, file) != null) {
        continue;
      }
      if (node instanceof MappingNode mapping) {
        for (NodeTuple tuple : mapping.getValue()) {
          pending.add(tuple.getKeyNode());
          pending.add(tuple.getValueNode());
        }
      } else if (node instanceof SequenceNode sequence) {
        pending.addAll(sequence.getValue());
      }
    }
  }

  /** The file {@code node} was read from. */
  String sourceOf(Node node) {
    return node == null ? source : sources.getOrDefault(node, source);
  }

  /**
   * Where {@code node} is, as an error about {@code from} should point to it: "line N" in the same
   * file, "FILE:N" in another.
   */
  String position(Node node, Node from) {
    int line = node.getStartMark().getLine() + 1;
    String file = sourceOf(node);
    return file.equals(sourceOf(from)) ? "line " + line : file + ":" + line;
  }

  void error(Node node, String field, String message) {
    errors.add(node == null ? new PolicyError(source, 0, field, message)
        : new PolicyError(sourceOf(node), node.getStartMark().getLine() + 1,
            node.getStartMark().getColumn() + 1, field, message));
  }

  /**
   * A required key absent from {@code parent}; not reported when parent is no mapping at all, and
   * asking whether an unknown key of the same mapping, when there is one, is its misspelling (it
   * may be an unrelated extra key, so a question, not a claim); that error comes after this one
   * in line order.
   */
  void missing(Node parent, String field) {
    if (notMappings.contains(parent)) {
      return;
    }
    Node unknown = firstUnknownKey.get(parent);
    error(parent, field, unknown == null ? "missing (required)"
        : "missing (required); is the unknown key '" + ((ScalarNode) unknown).getValue()
            + "' on line " + (unknown.getStartMark().getLine() + 1) + " a misspelling of it?");
  }

  /** The keys of a mapping in order; reports non-mappings, duplicates and unknown keys. */
  Map<String, Node> mapping(Node node, String field, Set<String> allowed) {
    Map<String, Node> out = new LinkedHashMap<>();
    if (!(node instanceof MappingNode)) {
      if (node != null) {
        notMappings.add(node);
      }
      error(node, field, allowed == null ? "expected a mapping"
          : "expected a mapping of " + String.join(", ", sorted(allowed)));
      return out;
    }
    for (NodeTuple tuple : ((MappingNode) node).getValue()) {
      String key = scalar(tuple.getKeyNode(), field);
      if (key == null) {
        continue;
      }
      String path = field.isEmpty() ? key : field + "." + key;
      if (allowed != null && !allowed.contains(key)) {
        firstUnknownKey.putIfAbsent(node, tuple.getKeyNode());
        error(tuple.getKeyNode(), path, "unknown key '" + key + "' (expected one of "
            + String.join(", ", sorted(allowed)) + ")");
      } else if (out.put(key, tuple.getValueNode()) != null) {
        error(tuple.getKeyNode(), path, "duplicate key '" + key + "'");
      }
    }
    return out;
  }

  /** A free-form mapping (e.g. namespace -> permission): keys are data, not schema. */
  Map<String, Node> freeMapping(Node node, String field) {
    return isNull(node) ? new LinkedHashMap<>() : mapping(node, field, null);
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode && node.getTag().equals(org.yaml.snakeyaml.nodes.Tag.NULL);
  }

  /** A list; an empty section ({@code users:} with nothing under it) is an empty list. */
  List<Node> sequence(Node node, String field) {
    if (node == null || isNull(node)) {
      return List.of();
    }
    if (!(node instanceof SequenceNode)) {
      error(node, field, "expected a list");
      return List.of();
    }
    return ((SequenceNode) node).getValue();
  }

  /** A scalar's text; null (with an error) for a mapping or list. */
  String scalar(Node node, String field) {
    if (!(node instanceof ScalarNode)) {
      error(node, field, "expected a single value");
      return null;
    }
    return ((ScalarNode) node).getValue();
  }

  /** A required non-empty scalar. */
  String required(Map<String, Node> fields, String key, Node parent, String field) {
    Node node = fields.get(key);
    String path = field + "." + key;
    if (node == null) {
      missing(parent, path);
      return null;
    }
    String value = scalar(node, path);
    if (value != null && value.isBlank()) {
      error(node, path, "must not be empty");
      return null;
    }
    return value == null ? null : value.trim();
  }

  Boolean bool(Map<String, Node> fields, String key, boolean fallback, String field) {
    Node node = fields.get(key);
    if (node == null) {
      return fallback;
    }
    String value = scalar(node, field + "." + key);
    if (value == null) {
      return null;
    }
    switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true":
      case "yes":
        return true;
      case "false":
      case "no":
        return false;
      default:
        error(node, field + "." + key, "expected true or false, got '" + value + "'");
        return null;
    }
  }

  private static List<String> sorted(Set<String> keys) {
    List<String> list = new ArrayList<>(keys == null ? Set.of() : keys);
    Collections.sort(list);
    return list;
  }
}
