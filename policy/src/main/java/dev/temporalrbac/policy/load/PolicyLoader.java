package dev.temporalrbac.policy.load;

import dev.temporalrbac.policy.model.PolicySnapshot;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Parses and validates a policy document (YAML) into a {@link PolicySnapshot}. All-or-nothing:
 * any error rejects the whole document, and every error found is reported with its file, line and
 * field. Stateless and thread-safe.
 */
public final class PolicyLoader {
  private static final int MAX_DOCUMENT_CHARS = 256 * 1024 * 1024;

  private PolicyLoader() {}

  /** Reads and validates a policy file. */
  public static PolicySnapshot load(Path file, Instant loadedAt) throws PolicyException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new PolicyException(List.of(new PolicyError(file.toString(), 0, "",
          "cannot read the policy file: " + e.getMessage())));
    }
    return parse(bytes, file.toString(), loadedAt);
  }

  /** Validates a policy document held in memory; {@code source} names it in errors. */
  public static PolicySnapshot parse(byte[] document, String source, Instant loadedAt)
      throws PolicyException {
    Node root = compose(document, source);
    YamlFields yaml = new YamlFields(source);
    PolicySnapshot.Builder builder = PolicySnapshot.builder()
        .version(contentHash(document)).source(source).loadedAt(loadedAt);
    new PolicyDocumentReader(yaml, builder).read(root);
    if (!yaml.errors().isEmpty()) {
      throw new PolicyException(yaml.errors());
    }
    return builder.build();
  }

  /**
   * Validates one policy written across several files (a directory): read in name order, each
   * section the concatenation of that section of every file, ids unique across all files and
   * references free to point into any of them. Every error names its own file and line. The
   * version is {@link PolicyManifest#version} (a hash over every file's name and bytes).
   *
   * @param source names the policy as a whole (the directory), in the snapshot and in errors
   *     about no file in particular
   */
  public static PolicySnapshot parse(List<PolicyDocument> parts, String source,
      Instant loadedAt) throws PolicyException {
    if (parts.isEmpty()) {
      throw new PolicyException(List.of(new PolicyError(source, 0, "",
          "no policy file: expected at least one *.yaml or *.yml file")));
    }
    List<PolicyDocument> sorted = new ArrayList<>(parts);
    sorted.sort(PolicyManifest.NAME_ORDER);
    List<PolicyError> errors = new ArrayList<>();
    List<Node> roots = new ArrayList<>();
    YamlFields yaml = new YamlFields(source);
    PolicyDocument previous = null;
    for (PolicyDocument part : sorted) {
      if (previous != null && previous.name().equals(part.name())) {
        errors.add(new PolicyError(part.source(), 0, "", "a second file named " + part.name()));
        continue;
      }
      previous = part;
      try {
        Node root = compose(part.content(), part.source());
        yaml.document(root, part.source());
        roots.add(root);
      } catch (PolicyException e) {
        errors.addAll(e.errors());
      }
    }
    if (!errors.isEmpty()) {
      throw new PolicyException(errors); // unparsed files would make the rest look incomplete
    }
    PolicySnapshot.Builder builder = PolicySnapshot.builder()
        .version(PolicyManifest.version(sorted)).source(source).loadedAt(loadedAt);
    new PolicyDocumentReader(yaml, builder).read(roots);
    if (!yaml.errors().isEmpty()) {
      throw new PolicyException(yaml.errors());
    }
    return builder.build();
  }

  /** The document's YAML tree; an error naming {@code source} when it is not UTF-8 YAML. */
  private static Node compose(byte[] document, String source) throws PolicyException {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(document)).toString();
    } catch (CharacterCodingException e) {
      throw new PolicyException(List.of(new PolicyError(source, 0, "",
          "not valid UTF-8 (" + e.getMessage() + "); save the policy file as UTF-8")));
    }
    Node root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setCodePointLimit(MAX_DOCUMENT_CHARS);
      options.setAllowDuplicateKeys(false);
      root = new Yaml(options).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new PolicyException(List.of(new PolicyError(source, line, "",
          "not valid YAML: " + e.getProblem())));
    } catch (YAMLException e) {
      throw new PolicyException(List.of(new PolicyError(source, 0, "",
          "not valid YAML: " + e.getMessage())));
    }
    if (root == null) {
      throw new PolicyException(List.of(new PolicyError(source, 0, "",
          "the policy document is empty; expected keys "
              + String.join(", ", PolicyDocumentReader.TOP))));
    }
    return root;
  }

  /** The version a document would load as, without loading it. */
  public static String version(byte[] document) {
    return contentHash(document);
  }

  /** First 16 hex digits of the SHA-256 of the document: the snapshot's version. */
  static String contentHash(byte[] document) {
    return java.util.HexFormat.of().formatHex(PolicyManifest.sha256(document), 0, 8);
  }
}
