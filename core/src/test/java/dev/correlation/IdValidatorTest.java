package dev.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdValidatorTest {

  @Test
  void safeTokenAcceptsTokensAndRejectsEverythingElse() {
    IdValidator v = IdValidator.safeToken();
    assertThat(v.isValid("order-42")).isTrue();
    assertThat(v.isValid("a.b_c:d+e/f=g-h")).isTrue();
    assertThat(v.isValid("x".repeat(128))).isTrue();
    assertThat(v.isValid("x".repeat(129))).isFalse();
    assertThat(v.isValid("")).isFalse();
    assertThat(v.isValid("with space")).isFalse();
    assertThat(v.isValid("quote\"")).isFalse();
    assertThat(v.isValid("caf\u00e9")).isFalse();
    assertThat(v.isValid("a@b")).isFalse();
  }

  @Test
  void strictUuidAcceptsCanonicalUuidsOnly() {
    IdValidator v = IdValidator.strictUuid();
    assertThat(v.isValid("3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f8a9b")).isTrue();
    assertThat(v.isValid("3F2B6C1E-8D4A-4F7E-9B1C-2A5D6E7F8A9B")).isTrue();
    assertThat(v.isValid("3f2b6c1e8d4a4f7e9b1c2a5d6e7f8a9b")).isFalse();
    assertThat(v.isValid("3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f8a9g")).isFalse();
    assertThat(v.isValid("order-42")).isFalse();
  }

  @Test
  void acceptAnyStillRefusesInvisibleFormatCharacters() {
    IdValidator v = IdValidator.acceptAny();
    assertThat(v.isValid("caf\u00e9 & co")).isTrue();
    assertThat(v.isValid("abc\u202edcba")).isFalse(); // right-to-left override
    assertThat(v.isValid("a\u200bb")).isFalse(); // zero-width space
  }
}
