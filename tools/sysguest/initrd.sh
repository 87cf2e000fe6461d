#!/bin/sh
# /init of the systemd guest's small initramfs (busybox): loads the virtio disk modules, mounts
# the root file system image (/dev/vda, ext4; qemu's snapshot=on makes every write a
# throwaway), copies /overlay over it (the lane's units and scripts, the repo mirror /work,
# the stages of this run), then hands PID 1 to systemd with switch_root.
# A failure here prints an "@@g info initramfs: ..." line and powers off: the host sees no
# "guest done" sentinel and fails the run at once, instead of waiting for its timeout.
export PATH=/bin:/sbin

fail() {
	echo "@@g info initramfs: $*"
	poweroff -f
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

# The kernel has no virtio built in: the PCI transport, then the block driver, from the
# modules.dep that tools/guest/fetch.sh wrote.
modprobe virtio_pci || fail "modprobe virtio_pci failed"
modprobe virtio_blk || fail "modprobe virtio_blk failed"
i=0
while [ ! -b /dev/vda ]; do
	i=$((i + 1))
	[ "$i" -le 100 ] || fail "no /dev/vda after 10 s (is the image attached as a virtio disk?)"
	sleep 0.1
done

mkdir -p /newroot
mount -t ext4 -o rw,noatime /dev/vda /newroot || fail "mount /dev/vda failed"
cp -a /overlay/. /newroot/ || fail "copying the lane's files into the root failed"
# The repo mirror belongs to tester (uid 1000) as a checkout belongs to its user: the user
# context writes its reports there, root can anyway.
chown -R 1000:1000 /newroot/work

# systemd mounts /proc, /sys and /dev itself; switch_root frees this initramfs' memory.
umount /proc /sys /dev
exec switch_root /newroot /sbin/init
