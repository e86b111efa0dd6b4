// SPDX-License-Identifier: GPL-2.0

#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>

__rust_helper void __percpu *
rust_helper___alloc_percpu_gfp(size_t size, size_t align, gfp_t gfp)
{
	return __alloc_percpu_gfp(size, align, gfp);
}

__rust_helper void *rust_helper_per_cpu_ptr(void __percpu *ptr, unsigned int cpu)
{
	return per_cpu_ptr(ptr, cpu);
}

__rust_helper void *rust_helper_get_cpu_ptr(void __percpu *ptr)
{
	return get_cpu_ptr(ptr);
}

__rust_helper void rust_helper_put_cpu_ptr(void __percpu *ptr)
{
	put_cpu_ptr(ptr);
}

__rust_helper void rust_helper_u64_stats_init(struct u64_stats_sync *syncp)
{
	u64_stats_init(syncp);
}

__rust_helper unsigned long
rust_helper_u64_stats_update_begin_irqsave(struct u64_stats_sync *syncp)
{
	return u64_stats_update_begin_irqsave(syncp);
}

__rust_helper void
rust_helper_u64_stats_update_end_irqrestore(struct u64_stats_sync *syncp,
					    unsigned long flags)
{
	u64_stats_update_end_irqrestore(syncp, flags);
}

__rust_helper void rust_helper_u64_stats_add(u64_stats_t *p, unsigned long val)
{
	u64_stats_add(p, val);
}

__rust_helper u64 rust_helper_u64_stats_read(const u64_stats_t *p)
{
	return u64_stats_read(p);
}

__rust_helper unsigned int
rust_helper_u64_stats_fetch_begin(const struct u64_stats_sync *syncp)
{
	return u64_stats_fetch_begin(syncp);
}

__rust_helper bool rust_helper_u64_stats_fetch_retry(const struct u64_stats_sync *syncp,
						     unsigned int start)
{
	return u64_stats_fetch_retry(syncp, start);
}
