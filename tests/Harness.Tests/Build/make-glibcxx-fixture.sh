#!/usr/bin/env bash
# Makes needs-glibcxx-3.4.32.so, the fixture of LibTorchSharpGlibcxxTests: a small shared library whose version
# requirements have the shape of TorchSharp's libLibTorchSharp.so. It needs libstdc++.so.6 at GLIBCXX_3.4 and at
# GLIBCXX_3.4.32, the latter for the one marker symbol GCC 13's <iostream> declares (_ZSt21ios_base_library_initv,
# named by a bare .globl, so no relocation refers to it), and libc.so.6 at GLIBC_2.2.5. It is linked against a stub
# libstdc++.so.6 that defines both versions, so any gcc and binutils can make it, whatever libstdc++ the machine has.
# Run from anywhere: bash tests/Harness.Tests/Build/make-glibcxx-fixture.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cat > "$work/stub.c" <<'C'
void _ZNSt8ios_base4InitC1Ev(void) {}
void _ZSt21ios_base_library_initv(void) {}
C
cat > "$work/stub.map" <<'MAP'
GLIBCXX_3.4 { global: _ZNSt8ios_base4InitC1Ev; local: *; };
GLIBCXX_3.4.32 { global: _ZSt21ios_base_library_initv; } GLIBCXX_3.4;
MAP
gcc -shared -fPIC -nostdlib -o "$work/libstdc++.so.6" "$work/stub.c" \
  -Wl,-soname,libstdc++.so.6 -Wl,--version-script,"$work/stub.map"

cat > "$work/fixture.c" <<'C'
#include <string.h>
__asm__(".globl _ZSt21ios_base_library_initv");
extern void _ZNSt8ios_base4InitC1Ev(void);
void fixture_init(void) { _ZNSt8ios_base4InitC1Ev(); }
unsigned long fixture_length(const char *s) { return strlen(s); }
C
gcc -shared -fPIC -Os -o "$here/needs-glibcxx-3.4.32.so" "$work/fixture.c" "$work/libstdc++.so.6" \
  -Wl,-soname,needs-glibcxx-3.4.32.so -Wl,--build-id=none -Wl,-z,noseparate-code -s

readelf -V "$here/needs-glibcxx-3.4.32.so" | sed -n '/\.gnu\.version_r/,$p'
