/* SPDX-License-Identifier: GPL-3.0-or-later */
/* signals.c - the TUI's signals: the handlers only set flags, which the main loop reads */
#include "tui/signals.h"

#include <string.h>
#include <time.h>

/* Only the handlers write these; the loop reads and clears them. */
static volatile sig_atomic_t stop_signal;
static volatile sig_atomic_t resized;

static const int signals[4] = {SIGINT, SIGTERM, SIGHUP, SIGWINCH};

static void on_signal(int sig)
{
	if (sig == SIGWINCH)
		resized = 1;
	else
		stop_signal = sig;
}

static void handled_set(sigset_t *set)
{
	sigemptyset(set);
	for (int i = 0; i < 4; i++)
		sigaddset(set, signals[i]);
}

void tui_signals_install(struct tui_signals *s)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: a wait is interrupted so that the flags are seen */
	handled_set(&block);
	sigprocmask(SIG_BLOCK, &block, &s->old_mask);
	for (int i = 0; i < 4; i++)
		sigaction(signals[i], &sa, &s->old[i]);
	stop_signal = 0;
	resized = 0;
	s->installed = true;
}

void tui_signals_restore(struct tui_signals *s)
{
	if (!s->installed)
		return;
	for (int i = 0; i < 4; i++)
		sigaction(signals[i], &s->old[i], NULL);
	sigprocmask(SIG_SETMASK, &s->old_mask, NULL);
	s->installed = false;
}

/* Take the signals pending while blocked (SIGWINCH only, or all four):
 * ppoll lets them in only when nothing else is ready, and a terminal that
 * hung up is always ready. */
static void take_pending(bool all)
{
	struct timespec zero = {0, 0};
	sigset_t pending, one;

	if (sigpending(&pending) < 0)
		return;
	for (int i = 0; i < 4; i++) {
		if (!sigismember(&pending, signals[i]) || (!all && signals[i] != SIGWINCH))
			continue;
		sigemptyset(&one);
		sigaddset(&one, signals[i]);
		if (sigtimedwait(&one, NULL, &zero) == signals[i])
			on_signal(signals[i]);
	}
}

int tui_signals_stop(void)
{
	take_pending(true);
	return stop_signal;
}

bool tui_signals_take_resize(void)
{
	take_pending(false);
	if (!resized)
		return false;
	resized = 0;
	return true;
}

int tui_signals_wait(const struct tui_signals *s, struct pollfd *fds, nfds_t n, int timeout_ms)
{
	struct timespec ts = {timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000L};

	return ppoll(fds, n, timeout_ms < 0 ? NULL : &ts, &s->old_mask);
}
