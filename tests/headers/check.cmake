# cmake -DCOMPILE=<compiler;args...> [-DRUN=<program>] -P check.cmake
# Runs the compiler (its diagnostics are the test's output), then the program.
cmake_minimum_required(VERSION 3.25)
execute_process(COMMAND ${COMPILE} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "compile failed (${rc})")
endif()
if(RUN)
    execute_process(COMMAND ${RUN} RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${RUN} failed (${rc})")
    endif()
endif()
