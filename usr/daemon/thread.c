/* Detached threads (see thread.h). */
#include <pthread.h>

#include "thread.h"

int thread_detached(void *(*fn)(void *), void *arg)
{
	pthread_attr_t attr;
	pthread_t th;
	int e;

	e = pthread_attr_init(&attr);
	if (e)
		return e;
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	e = pthread_create(&th, &attr, fn, arg);
	pthread_attr_destroy(&attr);
	return e;
}
