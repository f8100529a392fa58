package dev.temporalrbac.policy.wire;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NamespaceNamesTest {
  private static String find(NamespaceNames names, String text, int padding) {
    byte[] raw = text.getBytes(StandardCharsets.UTF_8);
    byte[] buffer = new byte[raw.length + 2 * padding];
    System.arraycopy(raw, 0, buffer, padding, raw.length);
    return names.lookup(buffer, padding, padding + raw.length);
  }

  @Test
  void knownNamesComeBackAsThePolicysOwnStringsWhereverTheyStandInTheBuffer() {
    String orders = new String("orders");
    String pagos = new String("pagos-été");
    NamespaceNames names = NamespaceNames.of(List.of(orders, pagos, "billing", orders));
    assertSame(orders, find(names, "orders", 0));
    assertSame(orders, find(names, "orders", 7));
    assertSame(pagos, find(names, "pagos-été", 3));
  }

  @Test
  void unknownNamesPrefixesAndEmptyInputAreMisses() {
    NamespaceNames names = NamespaceNames.of(List.of("orders", "billing"));
    assertNull(find(names, "order", 0));
    assertNull(find(names, "orders2", 0));
    assertNull(find(names, "", 0));
    assertNull(find(NamespaceNames.of(List.of()), "orders", 0));
  }

  @Test
  void manyNamesWithCollidingSlotsAreAllFound() {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      all.add("ns-" + i);
    }
    NamespaceNames names = NamespaceNames.of(all);
    for (String name : all) {
      assertSame(name, find(names, name, 1));
    }
    assertNull(find(names, "ns-5000", 1));
  }
}
