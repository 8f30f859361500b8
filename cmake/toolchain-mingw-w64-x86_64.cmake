# CMake toolchain: cross-compile for 64-bit Windows with MinGW-w64 (Debian:
# gcc-mingw-w64-x86-64) and run the resulting .exe tests under Wine.
#
#   cmake -S . -B build/windows \
#         -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-mingw-w64-x86_64.cmake
#
# C++ (only if a project enables it) needs g++-mingw-w64-x86-64 as well.

set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(_sp_triple x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${_sp_triple}-gcc)
set(CMAKE_CXX_COMPILER ${_sp_triple}-g++)
set(CMAKE_RC_COMPILER ${_sp_triple}-windres)

# Search headers/libraries/packages only in the MinGW sysroot, never on the
# host; programs (code generators, wine) still come from the host.
set(CMAKE_FIND_ROOT_PATH /usr/${_sp_triple})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Link libgcc (and libstdc++) statically so binaries need no
# libgcc_s_seh-1.dll beside them, under Wine or on a bare Windows box. This is
# a property of this toolchain, not of the project: the *_INIT variables seed
# the defaults and the user's own CMAKE_*_LINKER_FLAGS are still appended.
foreach(_sp_kind EXE SHARED MODULE)
    set(CMAKE_${_sp_kind}_LINKER_FLAGS_INIT "-static-libgcc -static-libstdc++")
endforeach()

# Plain `ctest` runs the .exe files through Wine. A cache entry, so a user can
# pass -DCMAKE_CROSSCOMPILING_EMULATOR=... (e.g. a real Windows runner).
set(CMAKE_CROSSCOMPILING_EMULATOR "${CMAKE_CURRENT_LIST_DIR}/wine-run.sh"
    CACHE STRING "Runs target executables on the build host")

unset(_sp_triple)
unset(_sp_kind)
