/* SPDX-License-Identifier: GPL-3.0-or-later */
/* signals.h - the TUI's signals: the handlers only set flags, which the main loop reads */
#ifndef SZ_TUI_SIGNALS_H
#define SZ_TUI_SIGNALS_H

#include <poll.h>
#include <signal.h>
#include <stdbool.h>

/*
 * SIGINT, SIGTERM and SIGHUP ask the TUI to stop (the terminal is restored
 * on the way out); SIGWINCH asks it to follow the terminal's size. They are
 * blocked but while the loop waits for input (ppoll), so that none comes
 * between a look at the flags and the wait. Installing them before curses
 * starts keeps curses from installing its own.
 */
struct tui_signals {
	struct sigaction old[4];
	sigset_t old_mask;
	bool installed;
};

void tui_signals_install(struct tui_signals *s);
/* The handlers and the mask as they were. */
void tui_signals_restore(struct tui_signals *s);

/* The signal that asked to stop (SIGINT, SIGTERM, SIGHUP), or 0; those
 * pending while blocked are taken first. Not while a lab step runs: the
 * lab reads them from its signalfd then. */
int tui_signals_stop(void);
/* Whether the terminal was resized since the last call (a SIGWINCH
 * pending while blocked is taken). */
bool tui_signals_take_resize(void);

/* poll(2) on fds with the signals let in while waiting: returns as
 * ppoll does (-1 with EINTR when a signal came). */
int tui_signals_wait(const struct tui_signals *s, struct pollfd *fds, nfds_t n, int timeout_ms);

#endif
