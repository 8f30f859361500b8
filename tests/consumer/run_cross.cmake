# Builds tests/consumer against the installed Windows package with the same
# toolchain, then runs both consumers (DLL and static) under the emulator:
# the address answers they check are the ones the Linux consumer checks.
# -DSRC -DBIN -DSTAGE -DTOOLCHAIN -DEMULATOR -DGENERATOR
execute_process(
    COMMAND ${CMAKE_CTEST_COMMAND} --build-and-test ${SRC} ${BIN}
        --build-generator ${GENERATOR}
        --build-options -DCMAKE_TOOLCHAIN_FILE=${TOOLCHAIN}
            -Dsockport_DIR=${STAGE}/lib/cmake/sockport -DCMAKE_BUILD_TYPE=Release
    RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "consumer build failed (${rc})")
endif()
foreach(exe consumer consumer_static)
    execute_process(COMMAND ${EMULATOR} ${BIN}/${exe}.exe
        OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
    message("${exe}: ${out}${err}")
    if(NOT rc EQUAL 0 OR NOT out MATCHES "consumer: ok")
        message(FATAL_ERROR "${exe} failed under the emulator (${rc})")
    endif()
endforeach()
message("cross consumers: ok")
