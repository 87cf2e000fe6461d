/* gocrash's C part: the foreign code that faults. The address is read from a volatile so the
 * compiler cannot prove the store undefined and drop it; 16 is below mmap_min_addr, never mapped. */
#include "crash.h"

#include <pthread.h>
#include <stdint.h>

static volatile uintptr_t bad_address = 16;

void gocrash_fault_here(void)
{
	*(volatile int *)bad_address = 1;
}

static void *fault_thread(void *arg)
{
	(void)arg;
	gocrash_fault_here();
	return NULL;
}

int gocrash_fault_in_thread(void)
{
	pthread_t t;
	int err = pthread_create(&t, NULL, fault_thread, NULL);

	if (err != 0)
		return err;
	pthread_join(t, NULL);
	return 0;
}
