/* iscsid runs each request and each session job in a detached thread of
 * its own (nobody joins them: they report through the session table or
 * their client's socket). */
#ifndef DAEMON_THREAD_H
#define DAEMON_THREAD_H

/* Starts fn(arg) in a detached thread; 0 or the error number of
 * pthread_create (nothing started, arg still the caller's). */
int thread_detached(void *(*fn)(void *), void *arg);

#endif
