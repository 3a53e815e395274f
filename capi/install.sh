#!/usr/bin/env bash
# Install libl610 (shared with SONAME and versioned links, static), l610.h, pkg-config files
# (l610.pc: shared; l610-static.pc: static) and a CMake package (find_package(l610): imported
# targets l610::l610 and l610::l610_static) under PREFIX.
#
#   cargo build --release -p l610-capi && capi/install.sh /usr/local
#   cargo build --release -p l610-capi --target aarch64-unknown-linux-gnu &&
#       TARGET=aarch64-unknown-linux-gnu DESTDIR=/srv/sysroot capi/install.sh /usr
#
# Environment:
#   PROFILE   cargo profile whose output is installed: release (default) or debug
#   TARGET    a cross target triple: the libraries are taken from target/$TARGET/$PROFILE
#   CARGO_TARGET_DIR   cargo's target directory, if not ./target
#   DESTDIR   staging root (the files say PREFIX; they are written under DESTDIR/PREFIX)
#   LIBDIR    library directory below PREFIX: lib (default), lib64, lib/aarch64-linux-gnu, ...
#   NATIVE_STATIC_LIBS   what the static library needs from the system, for a target other
#             than *-linux-gnu (print it with: cargo rustc -p l610-capi --lib --crate-type
#             staticlib --release [--target T] -- --print native-static-libs)
set -euo pipefail
prefix="${1:?usage: capi/install.sh PREFIX}"
case "$prefix" in /*) ;; *) echo "install: PREFIX must be an absolute path, not $prefix" >&2; exit 1 ;; esac
prefix="${prefix%/}"
root="$(cd "$(dirname "$0")/.." && pwd)"
profile="${PROFILE:-release}"
triple="${TARGET:-}"
target="${CARGO_TARGET_DIR:-$root/target}${triple:+/$triple}/$profile"
libdir="${LIBDIR:-lib}"
libdir="${libdir#/}"
libdir="${libdir%/}"
dest="${DESTDIR:-}$prefix"
build_hint="cargo build --profile ${profile/debug/dev} -p l610-capi${triple:+ --target $triple}"
for f in libl610.so libl610.a; do
    [ -f "$target/$f" ] || { echo "install: $target/$f missing ($build_hint)" >&2; exit 1; }
done

version="$(sed -n 's/^#define L610_VERSION "\(.*\)"$/\1/p' "$root/include/l610.h")"
major="${version%%.*}"
rest="${version#*.}"
minor="${rest%%.*}"
# The SONAME capi/build.rs gave the library (0.x: every minor version may break the ABI).
if [ "$major" = 0 ]; then soname="libl610.so.0.$minor"; else soname="libl610.so.$major"; fi
real="libl610.so.$version"

if [ -n "${NATIVE_STATIC_LIBS:-}" ]; then
    native="$NATIVE_STATIC_LIBS"
else
    case "${triple:-$(rustc -vV 2>/dev/null | sed -n 's/^host: //p')}" in
        *-linux-gnu*|"") native="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc" ;;
        *-linux-musl*) native="-lc" ;;
        *) echo "install: set NATIVE_STATIC_LIBS for target $triple (see the comment at the top)" >&2; exit 1 ;;
    esac
fi

install -d "$dest/$libdir/pkgconfig" "$dest/$libdir/cmake/l610" "$dest/include"
install -m 0755 "$target/libl610.so" "$dest/$libdir/$real"
ln -sfn "$real" "$dest/$libdir/$soname"
ln -sfn "$soname" "$dest/$libdir/libl610.so"
install -m 0644 "$target/libl610.a" "$dest/$libdir/libl610.a"
install -m 0644 "$root/include/l610.h" "$dest/include/l610.h"
"$root/capi/gen-pc.sh" "$prefix" "$dest/$libdir/pkgconfig" "$libdir" "$native"

# The CMake package finds its prefix from where it lies, so a staged or moved tree works.
ups="../.."
IFS=/ read -r -a parts <<< "$libdir"
for _ in "${parts[@]}"; do ups="$ups/.."; done
cmake_libs=""
for l in $native; do cmake_libs="$cmake_libs;${l#-l}"; done
cmake_libs="${cmake_libs#;}"
cat > "$dest/$libdir/cmake/l610/l610Config.cmake" <<CMAKE
# CMake package of libl610 $version, written by capi/install.sh.
#   find_package(l610 $major.$minor REQUIRED)
#   target_link_libraries(app PRIVATE l610::l610)          # libl610.so ($soname)
#   target_link_libraries(app PRIVATE l610::l610_static)   # libl610.a and what it needs
get_filename_component(_l610_prefix "\${CMAKE_CURRENT_LIST_DIR}/$ups" ABSOLUTE)
set(l610_VERSION "$version")
set(l610_INCLUDE_DIRS "\${_l610_prefix}/include")
if(NOT TARGET l610::l610)
  add_library(l610::l610 SHARED IMPORTED)
  set_target_properties(l610::l610 PROPERTIES
    IMPORTED_LOCATION "\${_l610_prefix}/$libdir/$real"
    IMPORTED_SONAME "$soname"
    INTERFACE_INCLUDE_DIRECTORIES "\${_l610_prefix}/include")
endif()
if(NOT TARGET l610::l610_static)
  add_library(l610::l610_static STATIC IMPORTED)
  set_target_properties(l610::l610_static PROPERTIES
    IMPORTED_LOCATION "\${_l610_prefix}/$libdir/libl610.a"
    INTERFACE_INCLUDE_DIRECTORIES "\${_l610_prefix}/include"
    INTERFACE_LINK_LIBRARIES "$cmake_libs")
endif()
unset(_l610_prefix)
CMAKE
cat > "$dest/$libdir/cmake/l610/l610ConfigVersion.cmake" <<CMAKE
# 0.x: only the same minor version is compatible (it may break the ABI); from 1.0 the same major.
set(PACKAGE_VERSION "$version")
set(PACKAGE_VERSION_COMPATIBLE FALSE)
if(NOT PACKAGE_FIND_VERSION VERSION_GREATER PACKAGE_VERSION)
  if("$major" STREQUAL "0")
    if(PACKAGE_FIND_VERSION_MAJOR EQUAL 0 AND PACKAGE_FIND_VERSION_MINOR EQUAL $minor)
      set(PACKAGE_VERSION_COMPATIBLE TRUE)
    endif()
  elseif(PACKAGE_FIND_VERSION_MAJOR EQUAL $major)
    set(PACKAGE_VERSION_COMPATIBLE TRUE)
  endif()
endif()
if(PACKAGE_FIND_VERSION STREQUAL PACKAGE_VERSION)
  set(PACKAGE_VERSION_EXACT TRUE)
endif()
CMAKE
echo "installed libl610 $version ($soname) under $dest"
