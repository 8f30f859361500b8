# SockportCmocka.cmake: provides the target sockport::cmocka for the tests.
#
#   include(SockportCmocka)                  # from the top-level CMakeLists
#   target_link_libraries(test_x PRIVATE sockport::cmocka)
#
# - Not Windows: the system cmocka, find_package(cmocka) (Debian: libcmocka-dev).
# - Windows (MinGW, cross or native): cmocka compiled from source into a static
#   library. Set SOCKPORT_CMOCKA_SOURCE to a cmocka 1.1.x source tree, or to a
#   .tar.gz/.tar.xz/.zip of one. On Debian, tools/get-cmocka-source.sh fetches
#   it with apt into build/deps/cmocka-src.
#
# Why not ExternalProject + cmocka's own CMakeLists: its configure runs ~40
# try_compile checks (~15 s under MinGW on a 2-core box) to produce a config.h
# of which cmocka.c reads eight macros, all fixed for MinGW-w64. Compiling the
# one file src/cmocka.c here takes ~1 s, follows the project's generator and
# build type, and needs no imported paths guessed ahead of the build.
include_guard(GLOBAL)

if(NOT WIN32)
    # GLOBAL: usable from any directory, whichever one includes this first.
    find_package(cmocka REQUIRED GLOBAL)
    add_library(sockport::cmocka INTERFACE IMPORTED GLOBAL)
    if(TARGET cmocka::cmocka) # cmocka >= 1.1.6 exports a target
        target_link_libraries(sockport::cmocka INTERFACE cmocka::cmocka)
    else() # 1.1.5 (Debian 12) only sets variables
        target_include_directories(sockport::cmocka INTERFACE ${CMOCKA_INCLUDE_DIR})
        target_link_libraries(sockport::cmocka INTERFACE ${CMOCKA_LIBRARIES})
    endif()
    return()
endif()

if(NOT MINGW)
    message(FATAL_ERROR "SockportCmocka: the Windows cmocka build is written for MinGW-w64 only")
endif()

set(SOCKPORT_CMOCKA_SOURCE "" CACHE PATH
    "cmocka 1.1.x source tree or .tar.gz/.tar.xz/.zip archive (Windows builds)")
if(NOT EXISTS "${SOCKPORT_CMOCKA_SOURCE}")
    message(FATAL_ERROR "SockportCmocka: set SOCKPORT_CMOCKA_SOURCE to a cmocka source "
        "tree or archive (got '${SOCKPORT_CMOCKA_SOURCE}'). On Debian: "
        "tools/get-cmocka-source.sh build/deps, then "
        "-DSOCKPORT_CMOCKA_SOURCE=<repo>/build/deps/cmocka-src")
endif()

# An archive is unpacked once into the build tree, again when it changes.
set(_sp_cmocka "${SOCKPORT_CMOCKA_SOURCE}")
if(NOT IS_DIRECTORY "${_sp_cmocka}")
    set(_sp_dir "${CMAKE_BINARY_DIR}/_deps/cmocka-src")
    file(SHA256 "${_sp_cmocka}" _sp_hash)
    if(NOT EXISTS "${_sp_dir}/.stamp-${_sp_hash}")
        file(REMOVE_RECURSE "${_sp_dir}")
        file(ARCHIVE_EXTRACT INPUT "${_sp_cmocka}" DESTINATION "${_sp_dir}")
        file(TOUCH "${_sp_dir}/.stamp-${_sp_hash}")
    endif()
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_sp_cmocka}")
    file(GLOB _sp_cmocka LIST_DIRECTORIES true "${_sp_dir}/*/src/cmocka.c" "${_sp_dir}/src/cmocka.c")
    if(NOT _sp_cmocka)
        message(FATAL_ERROR "SockportCmocka: no src/cmocka.c in ${SOCKPORT_CMOCKA_SOURCE}")
    endif()
    list(GET _sp_cmocka 0 _sp_cmocka)
    get_filename_component(_sp_cmocka "${_sp_cmocka}/../.." ABSOLUTE)
endif()
if(NOT EXISTS "${_sp_cmocka}/src/cmocka.c" OR NOT EXISTS "${_sp_cmocka}/include/cmocka.h")
    message(FATAL_ERROR "SockportCmocka: no src/cmocka.c + include/cmocka.h in '${_sp_cmocka}'")
endif()
file(STRINGS "${_sp_cmocka}/CMakeLists.txt" _sp_ver REGEX "project\\(cmocka VERSION")
string(REGEX MATCH "[0-9]+\\.[0-9]+\\.[0-9]+" _sp_ver "${_sp_ver}")
if(NOT _sp_ver MATCHES "^1\\.1\\.")
    message(WARNING "SockportCmocka: cmocka '${_sp_ver}' is not 1.1.x; tests use the 1.1.5 API")
endif()
message(STATUS "cmocka ${_sp_ver}: static, from ${_sp_cmocka}")

add_library(sockport_cmocka STATIC EXCLUDE_FROM_ALL "${_sp_cmocka}/src/cmocka.c")
# SYSTEM: the project's strict warnings must not fire inside cmocka.h.
target_include_directories(sockport_cmocka SYSTEM PUBLIC "${_sp_cmocka}/include")
# What cmocka's own ConfigureChecks.cmake finds for MinGW-w64, limited to the
# macros cmocka.c and cmocka_private.h read (no clock_gettime/siglongjmp/strsignal).
target_compile_definitions(sockport_cmocka
    PRIVATE HAVE_INTTYPES_H HAVE_MALLOC_H HAVE_SIGNAL_H HAVE_STRINGS_H
            HAVE_STRUCT_TIMESPEC HAVE_GCC_THREAD_LOCAL_STORAGE HAVE_SNPRINTF HAVE_VSNPRINTF
    # 1.1.x's header has no dllimport, so static linking needs nothing; newer
    # headers drop __declspec(dllimport) when CMOCKA_STATIC is defined.
    PUBLIC CMOCKA_STATIC)
# Third-party code: its own C dialect, no warnings, never -Werror.
set_target_properties(sockport_cmocka PROPERTIES
    C_STANDARD 99 C_EXTENSIONS ON COMPILE_WARNING_AS_ERROR OFF)
target_compile_options(sockport_cmocka PRIVATE -w)
add_library(sockport::cmocka ALIAS sockport_cmocka)

unset(_sp_cmocka)
unset(_sp_dir)
unset(_sp_hash)
unset(_sp_ver)
