# cmake -DSTAGE=<install prefix> -DLIBDIR=<lib dir under it> -DCC=<compiler>
#       -DSOURCE=<consumer main.c> -DOUT=<build dir> -P check.cmake
#
# Builds the consumer against the installed tree the way a Makefile user does,
# `cc main.c $(pkg-config --cflags --libs sockport)`, twice: linked to the
# shared library (and run with the library's directory on the loader path),
# and with `pkg-config --static` against the static archive (and run without
# it, which proves nothing dynamic was left).
cmake_minimum_required(VERSION 3.25)
find_program(PKG_CONFIG NAMES pkg-config pkgconf REQUIRED)
set(ENV{PKG_CONFIG_PATH} "${STAGE}/${LIBDIR}/pkgconfig")
set(ENV{PKG_CONFIG_LIBDIR} "${STAGE}/${LIBDIR}/pkgconfig") # nothing from the system

function(pkg_flags out)
    execute_process(COMMAND ${PKG_CONFIG} ${ARGN} sockport
        OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "pkg-config ${ARGN} sockport failed (${rc})")
    endif()
    message(STATUS "pkg-config ${ARGN}: ${flags}")
    separate_arguments(flags UNIX_COMMAND "${flags}")
    set(${out} ${flags} PARENT_SCOPE)
endfunction()

function(build_and_run exe)
    cmake_parse_arguments(ARG "" "" "FLAGS;ENV" ${ARGN})
    execute_process(COMMAND ${CC} ${SOURCE} ${ARG_FLAGS} -o ${exe} RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "compile ${exe} failed (${rc})")
    endif()
    execute_process(COMMAND ${CMAKE_COMMAND} -E env ${ARG_ENV} ${exe}
        OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
    message(STATUS "${exe}:\n${out}${err}")
    if(NOT rc EQUAL 0 OR NOT out MATCHES "consumer: ok")
        message(FATAL_ERROR "${exe} failed (${rc})")
    endif()
endfunction()

file(MAKE_DIRECTORY ${OUT})
pkg_flags(shared --cflags --libs)
foreach(f IN LISTS shared)
    if(f MATCHES "^-I(.*)")
        if(NOT EXISTS "${CMAKE_MATCH_1}/sockport/sockport.h")
            message(FATAL_ERROR "pkg-config points at ${f}: no sockport/sockport.h there")
        endif()
    endif()
endforeach()
build_and_run(${OUT}/consumer_shared FLAGS ${shared}
    ENV LD_LIBRARY_PATH=${STAGE}/${LIBDIR})

pkg_flags(static --static --cflags --libs)
list(TRANSFORM static REPLACE "^-lsockport$" "-l:libsockport.a")
build_and_run(${OUT}/consumer_static FLAGS ${static})
execute_process(COMMAND ldd ${OUT}/consumer_static OUTPUT_VARIABLE deps)
if(deps MATCHES "libsockport")
    message(FATAL_ERROR "the static consumer still loads libsockport:\n${deps}")
endif()
message(STATUS "pkg-config consumer: ok")
