# Runs a command in a pseudo-terminal of COLS x ROWS and prints what the terminal received; exits with its code.
# Usage: python3 scripts/pty-run.py COLS ROWS COMMAND [ARGS...]  (used by test/helpers/pty.ts and scripts/terminal-capture.mjs)
import os, sys, fcntl, termios, struct, subprocess
cols, rows = int(sys.argv[1]), int(sys.argv[2])
master, slave = os.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
child = subprocess.Popen(sys.argv[3:], stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
os.close(slave)
out = bytearray()
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
sys.stdout.buffer.write(bytes(out))
sys.exit(child.wait())
