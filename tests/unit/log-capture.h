/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_TEST_LOG_CAPTURE_H
#define IRONPASS_TEST_LOG_CAPTURE_H

/*
 * Catch what core code logs: log_capture_start() empties the buffer and puts
 * its sink in place, each message is appended with a newline,
 * log_capture_stop() restores the default sink. log_captured() is the text
 * so far (truncated at 4 KiB).
 */
void log_capture_start(void);
void log_capture_stop(void);
const char *log_captured(void);
/* Only what was logged at warning level, the same way. */
const char *log_captured_warnings(void);

#endif
