/* SPDX-License-Identifier: GPL-3.0-or-later */
/* probe_image.c - the host probe's image check: busybox must be a static ELF executable for this machine */
#include "runtime/probe_internal.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"

#if defined(__x86_64__)
#define SZ_ELF_MACHINE EM_X86_64
#elif defined(__aarch64__)
#define SZ_ELF_MACHINE EM_AARCH64
#elif defined(__i386__)
#define SZ_ELF_MACHINE EM_386
#elif defined(__arm__)
#define SZ_ELF_MACHINE EM_ARM
#elif defined(__riscv)
#define SZ_ELF_MACHINE EM_RISCV
#elif defined(__powerpc64__)
#define SZ_ELF_MACHINE EM_PPC64
#elif defined(__s390x__)
#define SZ_ELF_MACHINE EM_S390
#else
#define SZ_ELF_MACHINE EM_NONE
#endif

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SZ_ELF_DATA ELFDATA2LSB
#else
#define SZ_ELF_DATA ELFDATA2MSB
#endif

/* What both ELF classes say about program headers. */
struct elf_head {
	uint16_t type, machine, phentsize, phnum;
	uint64_t phoff;
};

static int pread_exact(int fd, void *buf, size_t len, uint64_t off)
{
	ssize_t n;

	if (off > (uint64_t)INT64_MAX - len)
		return -1;
	do
		n = pread(fd, buf, len, (off_t)off);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)len ? 0 : -1;
}

static int elf_read_head(int fd, unsigned char cls, struct elf_head *h)
{
	if (cls == ELFCLASS64) {
		Elf64_Ehdr e;

		if (pread_exact(fd, &e, sizeof(e), 0) < 0 || e.e_phentsize < sizeof(Elf64_Phdr))
			return -1;
		*h = (struct elf_head){e.e_type, e.e_machine, e.e_phentsize, e.e_phnum, e.e_phoff};
		return 0;
	}
	if (cls == ELFCLASS32) {
		Elf32_Ehdr e;

		if (pread_exact(fd, &e, sizeof(e), 0) < 0 || e.e_phentsize < sizeof(Elf32_Phdr))
			return -1;
		*h = (struct elf_head){e.e_type, e.e_machine, e.e_phentsize, e.e_phnum, e.e_phoff};
		return 0;
	}
	return -1;
}

int sz_probe_elf(const char *path, bool *is_static, bool *native, sz_error_t *err)
{
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
	unsigned char ident[EI_NIDENT];
	struct elf_head h;

	if (fd < 0)
		return sz_error_make(err, errno, _("cannot open '%s'"), path);
	if (pread_exact(fd, ident, sizeof(ident), 0) < 0 || memcmp(ident, ELFMAG, SELFMAG) != 0 ||
	    ident[EI_DATA] != SZ_ELF_DATA || elf_read_head(fd, ident[EI_CLASS], &h) < 0 ||
	    (h.type != ET_EXEC && h.type != ET_DYN) || h.phnum == PN_XNUM)
		return sz_error_make(err, ENOEXEC, _("'%s' is not an ELF executable for this machine"), path);
	*native =
	    h.machine == SZ_ELF_MACHINE && ident[EI_CLASS] == (sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32);
	*is_static = true;
	for (uint16_t i = 0; i < h.phnum; i++) {
		uint32_t p_type; /* the first field of Elf32_Phdr and Elf64_Phdr alike */

		if (pread_exact(fd, &p_type, sizeof(p_type), h.phoff + (uint64_t)i * h.phentsize) < 0)
			return sz_error_make(err, ENOEXEC, _("'%s' is truncated"), path);
		if (p_type == PT_INTERP)
			*is_static = false;
	}
	return 0;
}

void sz_probe_image(struct sz_probe_image *img, const char *images_dir, const char *image)
{
	sz_error_t err = NULL;

	memset(img, 0, sizeof(*img));
	if (images_dir == NULL)
		return;
	img->binary = sz_asprintf("%s/%s/rootfs/bin/busybox", images_dir, image);
	if (access(img->binary, F_OK) < 0) {
		img->error = errno;
		return;
	}
	img->present = true;
	if (sz_probe_elf(img->binary, &img->is_static, &img->native, &err) < 0) {
		img->error = err->errno_;
		img->is_elf = false;
		sz_error_release(&err);
		return;
	}
	img->is_elf = true;
}
