# API reference and guide checks. The top-level CMakeLists.txt does
# include(SockportDocs) after the tests are set up.
#
#   cmake --build <dir> --target docs    Doxygen HTML in <dir>/docs/html;
#                                        any Doxygen warning fails it
#   ctest -L docs                        the same as a test (docs.doxygen), and
#                                        docs.snippets: every code block in
#                                        docs/guide.md (and README.md) that
#                                        names a source file is that file's text
option(SOCKPORT_BUILD_DOCS "Add the docs target and tests" ${PROJECT_IS_TOP_LEVEL})
set(SOCKPORT_DOXYGEN_WARN_AS_ERROR YES CACHE STRING
    "Doxygen WARN_AS_ERROR: YES stops at the first warning, FAIL_ON_WARNINGS lists them all")
if(NOT SOCKPORT_BUILD_DOCS)
    return()
endif()

find_package(Doxygen QUIET)
set(SOCKPORT_DOCS_OUTPUT ${PROJECT_BINARY_DIR}/docs)
set(sockport_doxyfile ${SOCKPORT_DOCS_OUTPUT}/Doxyfile)
configure_file(${PROJECT_SOURCE_DIR}/docs/Doxyfile.in ${sockport_doxyfile} @ONLY)

if(DOXYGEN_FOUND)
    add_custom_target(docs
        COMMAND ${DOXYGEN_EXECUTABLE} ${sockport_doxyfile}
        WORKING_DIRECTORY ${SOCKPORT_DOCS_OUTPUT}
        COMMENT "Doxygen: ${SOCKPORT_DOCS_OUTPUT}/html/index.html (warnings are errors)"
        VERBATIM)
else()
    add_custom_target(docs
        COMMAND ${CMAKE_COMMAND} -E echo "docs: doxygen not found (Debian: apt-get install doxygen)"
        COMMAND ${CMAKE_COMMAND} -E false
        VERBATIM)
endif()

# The docs do not depend on the target system: check them in native builds.
if(NOT SOCKPORT_BUILD_TESTS OR CMAKE_CROSSCOMPILING)
    return()
endif()
if(DOXYGEN_FOUND)
    add_test(NAME docs.doxygen COMMAND ${DOXYGEN_EXECUTABLE} ${sockport_doxyfile}
        WORKING_DIRECTORY ${SOCKPORT_DOCS_OUTPUT})
    set_tests_properties(docs.doxygen PROPERTIES LABELS docs FAIL_REGULAR_EXPRESSION "warning:|error:")
else()
    add_test(NAME docs.doxygen COMMAND ${CMAKE_COMMAND} -E echo "SKIP: doxygen not found")
    set_tests_properties(docs.doxygen PROPERTIES LABELS docs SKIP_REGULAR_EXPRESSION "SKIP: ")
endif()
add_test(NAME docs.snippets
    COMMAND ${CMAKE_COMMAND} -DROOT=${PROJECT_SOURCE_DIR}
        "-DDOCS=docs/guide.md$<SEMICOLON>README.md"
        -P ${PROJECT_SOURCE_DIR}/docs/check_snippets.cmake)
set_tests_properties(docs.snippets PROPERTIES LABELS docs PASS_REGULAR_EXPRESSION "snippets: ok")
