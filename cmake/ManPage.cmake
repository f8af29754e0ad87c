# Writes the manual page: `BINARY --man-page` into OUTPUT (slowscope.1), and OUTPUT.gz
# compressed without a time stamp or name, so that the same page gives the same file.
#
#   cmake -DBINARY=build/slowscope -DOUTPUT=build/slowscope.1 -P cmake/ManPage.cmake
execute_process(COMMAND ${BINARY} --man-page
  OUTPUT_FILE ${OUTPUT}.tmp RESULT_VARIABLE status ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  file(REMOVE ${OUTPUT}.tmp)
  message(FATAL_ERROR "${BINARY} --man-page failed (${status}): ${errors}")
endif()
file(RENAME ${OUTPUT}.tmp ${OUTPUT})
execute_process(COMMAND gzip -9 --no-name --stdout ${OUTPUT}
  OUTPUT_FILE ${OUTPUT}.gz RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "gzip of ${OUTPUT} failed (${status})")
endif()
