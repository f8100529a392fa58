package dev.temporalrbac.policy.identity.jwt;

import dev.temporalrbac.policy.model.ClaimedRights;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Maps a verified token's claims to {@link ClaimedRights} under the settings' claim names. A
 * claim name is looked up as is first (names such as {@code https://example.com/groups} hold
 * dots), then as a dotted path into nested objects ({@code realm_access.roles}). Stateless and
 * thread-safe.
 */
final class ClaimsMapper {
  private final JwtSettings settings;

  ClaimsMapper(JwtSettings settings) {
    this.settings = settings;
  }

  /** The subject claim when it is a non-empty string, else null. */
  String subjectOf(Map<String, Object> claims) {
    return claim(claims, settings.subjectClaim()) instanceof String subject && !subject.isEmpty()
        ? subject : null;
  }

  /** The rights the claims carry for {@code subject}. */
  ClaimedRights rightsOf(String subject, Map<String, Object> claims) {
    List<String> groups = List.copyOf(new LinkedHashSet<>(
        strings(claim(claims, settings.groupsClaim()))));
    // as in Temporal's default claim mapper, the permissions claim counts only as a JSON array
    Object permissionsClaim = claim(claims, settings.permissionsClaim());
    TemporalPermissions permissions = TemporalPermissions.read(
        permissionsClaim instanceof List<?> ? strings(permissionsClaim) : List.of(),
        settings.permissionsRegex());
    return new ClaimedRights(subject, groups, permissions.namespaces(), permissions.everywhere(),
        permissions.systemAdmin());
  }

  /** The claim named {@code name}, or at the dotted path {@code name}; null when absent. */
  static Object claim(Map<String, Object> claims, String name) {
    if (name == null) {
      return null;
    }
    if (claims.containsKey(name)) {
      return claims.get(name);
    }
    Object node = claims;
    for (String part : name.split("\\.", -1)) {
      if (!(node instanceof Map<?, ?> object)) {
        return null;
      }
      node = object.get(part);
    }
    return node;
  }

  /** A claim as strings: an array's string elements, or one string; anything else is none. */
  static List<String> strings(Object value) {
    if (value instanceof String text) {
      return List.of(text);
    }
    List<String> out = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (Object element : list) {
        if (element instanceof String text) {
          out.add(text);
        }
      }
    }
    return out;
  }
}
