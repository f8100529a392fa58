package dev.temporalrbac.policy.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The top-level sections of one or more policy documents read as one policy: a list section is
 * the concatenation of that section of every document, in the order given, each item keeping
 * the field path of its own document ({@code users[0]} of the file an error names); a single
 * value ({@code confirm_removal}) may appear in one document only. Problems go to
 * {@link YamlFields}. Not thread-safe; one per read.
 */
final class DocumentSections {
  /** One list item of a section, with its field path in its own document. */
  record Entry(Node node, String field) {}

  private final YamlFields yaml;
  private final List<Map<String, Node>> tops = new ArrayList<>();

  /** Reads each root's top-level mapping, reporting keys other than {@code allowed}. */
  DocumentSections(YamlFields yaml, List<Node> roots, Set<String> allowed) {
    this.yaml = yaml;
    for (Node root : roots) {
      tops.add(yaml.mapping(root, "", allowed));
    }
  }

  /** Every item of list section {@code section}, document by document. */
  List<Entry> entries(String section) {
    List<Entry> entries = new ArrayList<>();
    for (Map<String, Node> top : tops) {
      List<Node> items = yaml.sequence(top.get(section), section);
      for (int i = 0; i < items.size(); i++) {
        entries.add(new Entry(items.get(i), section + "[" + i + "]"));
      }
    }
    return entries;
  }

  /** The value of {@code key} (null when absent); a second document stating it is an error. */
  Node single(String key) {
    Node first = null;
    for (Map<String, Node> top : tops) {
      Node node = top.get(key);
      if (node == null) {
        continue;
      }
      if (first == null) {
        first = node;
      } else {
        yaml.error(node, key, "stated again (first at " + yaml.position(first, node)
            + "); state it once for the whole policy");
      }
    }
    return first;
  }
}
