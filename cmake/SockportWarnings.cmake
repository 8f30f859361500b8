# Warnings per STYLE.md, applied per target. CI adds -Werror through
# CMAKE_COMPILE_WARNING_AS_ERROR (the presets set it).
function(sockport_set_warnings target)
    if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
        target_compile_options(${target} PRIVATE
            -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
            -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wformat=2
            -Wundef -Wcast-qual -Wpointer-arith -Wwrite-strings
            -Wmissing-declarations -Wnull-dereference -Wdouble-promotion)
    elseif(MSVC)
        target_compile_options(${target} PRIVATE /W4)
    endif()
endfunction()
