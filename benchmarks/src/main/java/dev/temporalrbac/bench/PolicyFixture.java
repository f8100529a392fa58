package dev.temporalrbac.bench;

import dev.temporalrbac.policy.eval.Authorizer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * A synthetic but realistically shaped policy: {@code principals} users, each a developer with
 * grants on {@link #GRANTS_PER_USER} distinct namespaces out of {@code namespaces} (the first one
 * {@code write}, then {@code read}, then {@code admin}), one API key per user, and every namespace
 * declared with a name and an id. Deterministic for a given seed.
 */
public final class PolicyFixture {
  public static final int GRANTS_PER_USER = 3;
  /** Length of a generated API key secret, in characters (JWT-sized). */
  public static final int SECRET_CHARS = 256;

  private static final char[] BASE64URL =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

  /** The policy document, UTF-8 YAML. */
  public final byte[] yaml;
  public final String[] userIds;
  /** API key secret of user i (the key whose hash the policy holds). */
  public final String[] secrets;
  public final String[] namespaceNames;
  /** Per user: index of a namespace it holds {@code write} on (StartWorkflowExecution is allowed). */
  public final int[] allowedNamespace;
  /** Per user: index of a namespace it holds nothing on (StartWorkflowExecution is denied). */
  public final int[] foreignNamespace;

  private PolicyFixture(byte[] yaml, String[] userIds, String[] secrets, String[] namespaceNames,
      int[] allowedNamespace, int[] foreignNamespace) {
    this.yaml = yaml;
    this.userIds = userIds;
    this.secrets = secrets;
    this.namespaceNames = namespaceNames;
    this.allowedNamespace = allowedNamespace;
    this.foreignNamespace = foreignNamespace;
  }

  public static String namespaceName(int index) {
    return String.format("ns-%04d.a1b2c", index);
  }

  public static PolicyFixture generate(int principals, int namespaces, long seed) {
    if (namespaces <= GRANTS_PER_USER) {
      throw new IllegalArgumentException("need more than " + GRANTS_PER_USER + " namespaces");
    }
    SplittableRandom random = new SplittableRandom(seed);
    String[] nsNames = new String[namespaces];
    for (int i = 0; i < namespaces; i++) {
      nsNames[i] = namespaceName(i);
    }
    String[] userIds = new String[principals];
    String[] secrets = new String[principals];
    int[] allowed = new int[principals];
    int[] foreign = new int[principals];
    // ~280 bytes per user and key, ~60 per namespace
    StringBuilder out = new StringBuilder(principals * 300 + namespaces * 64 + 64);

    out.append("users:\n");
    int[] grants = new int[GRANTS_PER_USER];
    String[] permissions = {"write", "read", "admin"};
    for (int u = 0; u < principals; u++) {
      userIds[u] = String.format("user-%06d@example.com", u);
      for (int g = 0; g < GRANTS_PER_USER; g++) {
        int candidate;
        do {
          candidate = random.nextInt(namespaces);
        } while (contains(grants, g, candidate));
        grants[g] = candidate;
      }
      allowed[u] = grants[0];
      int other;
      do {
        other = random.nextInt(namespaces);
      } while (contains(grants, GRANTS_PER_USER, other));
      foreign[u] = other;
      out.append("  - id: ").append(userIds[u]).append('\n')
          .append("    role: developer\n")
          .append("    namespaces:\n");
      for (int g = 0; g < GRANTS_PER_USER; g++) {
        out.append("      ").append(nsNames[grants[g]]).append(": ")
            .append(permissions[g % permissions.length]).append('\n');
      }
    }

    out.append("api_keys:\n");
    char[] secret = new char[SECRET_CHARS];
    for (int u = 0; u < principals; u++) {
      for (int c = 0; c < SECRET_CHARS; c++) {
        secret[c] = BASE64URL[random.nextInt(BASE64URL.length)];
      }
      secrets[u] = new String(secret);
      out.append("  - id: ").append(String.format("key-%06d", u)).append('\n')
          .append("    owner: ").append(userIds[u]).append('\n')
          .append("    sha256: ").append(Authorizer.hashSecret(secrets[u])).append('\n');
    }

    out.append("namespaces:\n");
    for (int n = 0; n < namespaces; n++) {
      out.append("  - name: ").append(nsNames[n]).append('\n')
          .append("    id: ").append(String.format("nsid-%04d", n)).append('\n');
    }
    return new PolicyFixture(out.toString().getBytes(StandardCharsets.UTF_8), userIds, secrets,
        nsNames, allowed, foreign);
  }

  private static boolean contains(int[] values, int count, int wanted) {
    for (int i = 0; i < count; i++) {
      if (values[i] == wanted) {
        return true;
      }
    }
    return false;
  }
}
