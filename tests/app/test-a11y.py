#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The desk driven from outside its process, as a screen reader or a clerk
# with a keyboard would: through the accessibility bus only.
#
#   test-a11y.py --desk PFDO-DESK --regiond PFDO-REGIOND --builddir BUILD
#
# A demo regional server and an empty desk start in their own D-Bus session
# (and under Xvfb when there is no display); the clerk signs in, waits for
# the first sync, finds an unverified child by SNILS, ticks the three
# documents, confirms, issues and activates the certificate, and the test
# reads what the desk shows. On the way every control shown in the window
# must have a real accessible name.
#
# Debian's /usr/bin/python3 is meant: python3-pyatspi is installed for it.

import argparse
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback

PASSWORD = 'demo-parol'
LOGIN = 'ivanova'
INNER = 'PFDO_A11Y_TEST_DIR'

# What the clerk sees, in Russian (LANGUAGE=ru is pinned below).
SIGN_IN_TITLE = 'Вход на региональный сервер'
PASSWORD_FIELD = 'Пароль'
SIGN_IN = 'Войти'
SYNCED_AT = 'Синхронизировано в '
VERIFICATION = 'Подтверждение'
DOCUMENTS = [
    'Свидетельство о рождении или паспорт ребёнка',
    'СНИЛС ребёнка',
    'Документ, удостоверяющий личность родителя',
]
CONFIRM = 'Подтвердить'
CONFIRMED = 'Данные ребёнка подтверждены.'
ISSUE = 'Выдать сертификат'
ACTIVATE = 'Активировать'
ACTIVATED = 'Сертификат активирован: семья может выбирать программы.'
# Toasts lie five levels under the window (the overlay in the lock stack
# page); one more level of room.
TOAST_DEPTH = 6
ACTIVE_STATUSES = ['Сертификат учёта', 'Сертификат персонифицированного финансирования']

# Roles of the things a user operates; each needs a name of its own.
CONTROL_ROLES = {
    'push button', 'toggle button', 'check box', 'radio button', 'entry', 'text',
    'password text', 'combo box', 'spin button', 'slider', 'switch', 'page tab',
    'menu button', 'link',
}
# GTK 4.8 names a control without a label after a class: "GtkImage" for an
# icon-only button, "GtkSearchEntry", "GtkMenuButton".
TYPE_NAME = re.compile(r'^(Gtk|Adw|Pfdo)[A-Z][A-Za-z]*$')


class Failure(Exception):
    pass


STARTED = time.monotonic()


def say(message):
    print(f'# {message}', flush=True)


def step(message):
    say(f'{message} ({time.monotonic() - STARTED:.1f} s)')


# The outer stage: a private folder, a display and a D-Bus session

def outer(args):
    tmp = tempfile.mkdtemp(prefix='pfdo-a11y-')
    env = dict(os.environ)
    # The suite's GTK_A11Y=none and NO_AT_BRIDGE would hide the desk. Its
    # fatal warnings are not for this test: libatspi warns when it reads an
    # application without a cache object (GTK 4.8 has none), and GTK 4.8
    # warns about its own bookkeeping of synthesized input ("Broken
    # accounting of active state").
    for name in ('GTK_A11Y', 'NO_AT_BRIDGE', 'DBUS_SESSION_BUS_ADDRESS', 'AT_SPI_BUS_ADDRESS',
                 'G_DEBUG'):
        env.pop(name, None)
    for name in ('config', 'cache', 'runtime', 'data'):
        os.makedirs(os.path.join(tmp, name), mode=0o700)
    env.update({
        INNER: tmp,
        'XDG_CONFIG_HOME': os.path.join(tmp, 'config'),
        'XDG_CACHE_HOME': os.path.join(tmp, 'cache'),
        'XDG_RUNTIME_DIR': os.path.join(tmp, 'runtime'),
        'XDG_DATA_HOME': os.path.join(tmp, 'data'),
        'HOME': tmp,
        'LANG': 'C.UTF-8',
        'LANGUAGE': 'ru',
        'LC_ALL': 'C.UTF-8',
        'PFDO_LOCALEDIR': os.path.join(args.builddir, 'po'),
        'GSETTINGS_SCHEMA_DIR': os.path.join(args.builddir, 'data'),
        'GSETTINGS_BACKEND': 'memory',
        'GSK_RENDERER': 'cairo',
    })

    command = ['dbus-run-session', '--', sys.executable, os.path.abspath(__file__)] + sys.argv[1:]
    if shutil.which('dbus-run-session') is None:
        say('dbus-run-session is missing: apt-get install dbus-daemon (package dbus)')
        return 1
    if not env.get('DISPLAY') and not env.get('WAYLAND_DISPLAY'):
        if shutil.which('xvfb-run') is None:
            say('no display and no xvfb-run: apt-get install xvfb xauth')
            return 1
        command = ['xvfb-run', '-a', '-s', '-screen 0 1366x768x24'] + command

    process = subprocess.Popen(command, env=env, start_new_session=True)
    try:
        return process.wait(timeout=args.timeout * args.time_factor)
    except subprocess.TimeoutExpired:
        say(f'the test did not finish in {args.timeout * args.time_factor:.0f} s')
        return 1
    finally:
        # The session bus, the accessibility bus and anything they started.
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        shutil.rmtree(tmp, ignore_errors=True)


# The inner stage: the server, the desk and the client on one bus

class Desk:
    def __init__(self, args, tmp):
        self.args = args
        self.tmp = tmp
        self.server = None
        self.desk = None
        self.server_log = os.path.join(tmp, 'server.log')
        self.desk_log = os.path.join(tmp, 'desk.log')
        self.db = os.path.join(tmp, 'desk.sqlite')

    def start(self):
        with open(self.server_log, 'w') as log:
            self.server = subprocess.Popen(
                [self.args.regiond, '--db', os.path.join(self.tmp, 'server.sqlite'),
                 '--listen', '127.0.0.1:0', '--seed', 'demo', '--demo-password', PASSWORD],
                stdout=log, stderr=subprocess.STDOUT)
        # The first line says where the server listens.
        deadline = time.monotonic() + 60 * self.args.time_factor
        url = None
        while url is None:
            with open(self.server_log, errors='replace') as log:
                first = log.readline()
            if first.startswith('listening on ') and first.endswith('\n'):
                url = first[len('listening on '):].strip()
            elif self.server.poll() is not None:
                raise Failure(f'pfdo-regiond exited with status {self.server.returncode}')
            elif time.monotonic() > deadline:
                raise Failure('pfdo-regiond did not say where it listens in 60 s')
            else:
                time.sleep(0.1)

        with open(self.desk_log, 'w') as log:
            self.desk = subprocess.Popen(
                [self.args.desk, '--db', self.db, '--server', url, '--login', LOGIN],
                stdout=log, stderr=subprocess.STDOUT)

    def check_alive(self):
        for name, process in (('pfdo-desk', self.desk), ('pfdo-regiond', self.server)):
            if process is not None and process.poll() is not None:
                raise Failure(f'{name} exited with status {process.returncode}')

    def stop(self):
        for process in (self.desk, self.server):
            if process is None or process.poll() is not None:
                continue
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def show_logs(self):
        for name, path in (('desk', self.desk_log), ('server', self.server_log)):
            try:
                with open(path, errors='replace') as log:
                    lines = log.read().splitlines()[-40:]
            except OSError:
                continue
            say(f'--- last lines of the {name} log ---')
            for line in lines:
                say(line)


class Client:
    """What the test sees of the desk through the accessibility bus."""

    def __init__(self, desk, time_factor):
        import pyatspi
        from gi.repository import Atspi, GLib

        self.pyatspi = pyatspi
        self.Atspi = Atspi
        self.GLib = GLib
        self.context = GLib.MainContext.default()
        self.desk = desk
        self.time_factor = time_factor
        self.app = None

    def pump(self):
        while self.context.pending():
            self.context.iteration(False)

    def wait(self, what, probe, timeout=30.0):
        """Polls @probe until it returns something; fails after @timeout s."""
        timeout *= self.time_factor
        deadline = time.monotonic() + timeout
        vanished = None
        rounds, slowest = 0, 0.0
        while True:
            self.desk.check_alive()
            self.pump()
            began = time.monotonic()
            try:
                found = probe()
            except (self.GLib.Error, ValueError) as error:
                # A desk that crashed says so better than its vanished tree;
                # a live desk removed a node while the probe read it.
                self.desk.check_alive()
                found, vanished = None, error
            except Exception:
                self.desk.check_alive()
                raise
            rounds, slowest = rounds + 1, max(slowest, time.monotonic() - began)
            if found:
                # A11Y_TRACE=1 tells how long each wait looked.
                if os.environ.get('A11Y_TRACE'):
                    say(f'TRACE {what}: {rounds} looks, slowest {slowest:.2f} s')
                return found
            if time.monotonic() > deadline:
                detail = f' (last: {vanished})' if vanished else ''
                raise Failure(f'timed out after {timeout:.0f} s waiting for {what}{detail}; '
                              f'{rounds} looks, the slowest {slowest:.1f} s')
            time.sleep(0.1)

    # The tree

    def find_app(self):
        desktop = self.pyatspi.Registry.getDesktop(0)
        for app in desktop:
            try:
                if app is not None and app.get_process_id() == self.desk.desk.pid:
                    return app
            except Exception:
                continue
        return None

    def connect(self):
        self.app = self.wait('the desk on the accessibility bus', self.find_app, 30)
        # GTK 4.8 does not tell about every change: read the live tree, not
        # libatspi's cache of it.
        self.app.set_cache_mask(self.Atspi.Cache.NONE)

    def windows(self, role):
        return [w for w in self.app if w is not None and w.getRoleName() == role]

    def extents(self, node):
        if 'Component' not in node.get_interfaces():
            return None
        return node.queryComponent().getExtents(self.pyatspi.WINDOW_COORDS)

    def shown(self, node, bounds):
        """Visible, with a size, and not scrolled out of @bounds: hidden
        stack pages and the squeezed-out copies of a switcher keep GTK's
        visible state but have no size."""
        try:
            if not node.getState().contains(self.pyatspi.STATE_VISIBLE):
                return False
            extents = self.extents(node)
            if extents is None:
                return True
            if extents.width <= 0 or extents.height <= 0:
                return False
            return bounds is None or (extents.x < bounds.x + bounds.width and
                                      bounds.x < extents.x + extents.width and
                                      extents.y < bounds.y + bounds.height and
                                      bounds.y < extents.y + extents.height)
        except Exception:
            # The node went away while it was read.
            return False

    def walk(self, node, bounds=None):
        """The shown subtree under @node, depth first; what lies outside
        @node itself is scrolled away."""
        if bounds is None:
            bounds = self.extents(node)
        try:
            children = list(node)
        except (self.GLib.Error, ValueError):
            # The node was removed while it was read (the desk rebuilds a
            # card after an action): libatspi then says "the application no
            # longer exists" of it (or counts -1 children, which Python's
            # len() refuses). Its subtree is gone; the caller's wait reads
            # the new one on its next round.
            return
        for child in children:
            if child is None or not self.shown(child, bounds):
                continue
            yield child
            yield from self.walk(child, bounds)

    def find_all(self, root, role, name=None):
        return [n for n in self.walk(root)
                if n.getRoleName() == role and (name is None or label_of(n.name) == name)]

    def find(self, root, role, name=None):
        for node in self.walk(root):
            if node.getRoleName() == role and (name is None or label_of(node.name) == name):
                return node
        return None

    def find_prefix(self, root, role, prefix):
        for node in self.walk(root):
            if node.getRoleName() == role and text_of(node).startswith(prefix):
                return node
        return None

    def find_toast(self, window, prefix):
        """A toast's label. A toast stays six seconds, and a walk of the
        whole window can take longer on a busy machine (a run of the whole
        suite missed one), so only the shallow containers where the overlay
        keeps its toasts are read, breadth first."""
        level = [window]
        for _ in range(TOAST_DEPTH):
            deeper = []
            for node in level:
                if node.name == 'AdwToastWidget':
                    found = self.find_prefix(node, 'label', prefix)
                    if found is not None:
                        return found
                    continue
                try:
                    deeper.extend(child for child in node
                                  if child is not None and self.shown(child, None))
                except (self.GLib.Error, ValueError):
                    continue
            level = deeper
        return None

    # Acting

    def click(self, node):
        action = node.queryAction()
        names = [action.getName(i) for i in range(action.nActions)]
        if 'click' not in names:
            raise Failure(f'“{label_of(node.name)}” has no click action')
        action.doAction(names.index('click'))

    def activate_window_action(self, window, name):
        action = window.queryAction()
        names = [action.getName(i) for i in range(action.nActions)]
        if name not in names:
            raise Failure(f'the window has no action {name}')
        action.doAction(names.index(name))

    def key(self, keysym):
        self.pyatspi.Registry.generateKeyboardEvent(keysym, None, self.pyatspi.KEY_SYM)
        # Synthesized keys arrive one by one; the desk gets time for each.
        time.sleep(0.05)

    def type(self, text):
        for char in text:
            if ord(char) >= 0x80:
                keysym = 0x01000000 + ord(char)
            else:
                keysym = ord(char)
            self.key(keysym)

    def state(self, node, state):
        return node.getState().contains(state)


def label_of(name):
    """The label GTK 4.8 names a mnemonic button after twice,
    “_Войти Войти”, once."""
    name = name or ''
    if '_' in name:
        half = name.find(' ', name.find('_'))
        while half >= 0:
            first, second = name[:half], name[half + 1:]
            if first.replace('_', '') == second:
                return second
            half = name.find(' ', half + 1)
    return name


def text_of(node):
    """A label's text through the Text interface, or its name."""
    try:
        text = node.queryText()
        return text.getText(0, text.characterCount)
    except NotImplementedError:
        return node.name or ''


# Picking the child

def fold(text):
    return (text or '').casefold().replace('ё', 'е')


def document_key(number):
    return ''.join(c.upper() for c in (number or '') if c.isalnum())


def one_edit_apart(a, b):
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    if len(a) > len(b):
        a, b = b, a
    return any(b[:i] + b[i + 1:] == a for i in range(len(b)))


def pick_child(db_path):
    """An unverified child of the clerk's municipality with a SNILS, no
    certificate and no likely twin (pfdo_children_find_duplicates's rules),
    the first by id: the three documents are all the card asks for."""
    db = sqlite3.connect(f'file:{db_path}?mode=ro', uri=True)
    try:
        row = db.execute('SELECT municipality_id FROM operator WHERE login = ?',
                         (LOGIN,)).fetchone()
        if row is None:
            raise Failure(f'the operator {LOGIN} is not in the desk\'s store after the sync')
        children = db.execute('SELECT id, snils, last_name, first_name, birth_date, '
                              'document_number, verification_status, municipality_id, '
                              'id IN (SELECT child_id FROM certificate) FROM child '
                              'ORDER BY id').fetchall()
    finally:
        db.close()

    snils_count, name_count, by_birth = {}, {}, {}
    for child in children:
        snils_count[child[1]] = snils_count.get(child[1], 0) + 1
        name = (fold(child[2]), fold(child[3]), child[4])
        name_count[name] = name_count.get(name, 0) + 1
        by_birth.setdefault(child[4], []).append(child)
    for child in children:
        (child_id, snils, last, first, birth, document, status, municipality,
         has_certificate) = child
        if status != 'unverified' or municipality != row[0] or has_certificate or not snils:
            continue
        if snils_count[snils] > 1 or name_count[(fold(last), fold(first), birth)] > 1:
            continue
        key = document_key(document)
        if key and any(other[0] != child_id and other[5] is not None and
                       one_edit_apart(key, document_key(other[5]))
                       for other in by_birth[birth]):
            continue
        return child_id, snils
    raise Failure('no unverified child without a twin and a certificate in the demo region')


def certificate_status(db_path, child_id):
    db = sqlite3.connect(f'file:{db_path}?mode=ro', uri=True)
    try:
        row = db.execute('SELECT status FROM certificate WHERE child_id = ?',
                         (child_id,)).fetchone()
        return row[0] if row else None
    finally:
        db.close()


# The checks

def check_names(client, root, unnamed, where):
    """Every control shown under @root has a name a person can hear; those
    that have none are added to @unnamed, reported once the story is told."""
    for node in client.walk(root):
        role = node.getRoleName()
        if role not in CONTROL_ROLES:
            continue
        name = (node.name or '').strip()
        if name == '' or TYPE_NAME.match(name):
            # Where in the tree, so that two such buttons count twice.
            path, chain, up = [], [], node.parent
            while up is not None and up.getRoleName() not in ('frame', 'dialog'):
                path.insert(0, up.getIndexInParent())
                # Class names and roles only: other names may be a child's.
                if TYPE_NAME.match(up.name or ''):
                    chain.insert(0, up.name)
                up = up.parent
            path.append(node.getIndexInParent())
            unnamed.setdefault((role, name, tuple(path)), f'{where}, in {" > ".join(chain)}')


def run_scenario(client, desk):
    pyatspi = client.pyatspi
    client.connect()
    unnamed = {}

    # Signing in: the empty desk syncs at once and asks for the password.
    dialog = client.wait(f'the dialog “{SIGN_IN_TITLE}”',
                         lambda: next((w for w in client.windows('dialog')
                                       if w.name == SIGN_IN_TITLE), None))
    password = client.wait(f'the field “{PASSWORD_FIELD}”',
                           lambda: client.find(dialog, 'text', PASSWORD_FIELD))
    if not password.queryEditableText().setTextContents(PASSWORD):
        raise Failure('the password field refused the text')
    client.click(client.wait(f'the button “{SIGN_IN}”',
                             lambda: client.find(dialog, 'push button', SIGN_IN)))

    window = client.wait('the main window', lambda: next(iter(client.windows('frame')), None))
    client.wait(f'the sync status “{SYNCED_AT}…”',
                lambda: client.find_prefix(window, 'label', SYNCED_AT), timeout=90)
    step('signed in and synced')

    # The window as the desk opens after the sync.
    check_names(client, window, unnamed, 'the window after the sync')

    child_id, snils = pick_child(desk.db)

    # Verification, and the search from the keyboard: win.focus-search is
    # Ctrl+F; focus cannot be given through AT-SPI itself.
    client.click(client.wait(f'the view switcher button “{VERIFICATION}”',
                             lambda: client.find(window, 'page tab', VERIFICATION)))
    view = client.wait('the verification view',
                       lambda: client.find(window, 'filler', 'PfdoVerificationView'))
    search = client.wait('the search entry of the verification view',
                         lambda: client.find(view, 'entry'))
    check_names(client, window, unnamed, 'the verification queue')
    client.activate_window_action(window, 'win.focus-search')
    client.wait('the search entry to take the focus',
                lambda: client.state(search, pyatspi.STATE_FOCUSED))
    client.type(snils)
    client.wait('the SNILS in the search entry', lambda: text_of(search) == snils)
    client.key(0xff0d)  # Return

    # The card: the first document's check box has the focus; Space ticks
    # it, Down goes to the next row and Space on a row ticks its box.
    boxes = client.wait('the document check boxes on the card',
                        lambda: client.find_all(view, 'check box'))
    names = [label_of(box.name) for box in boxes]
    if names != DOCUMENTS:
        raise Failure(f'the card asks for {names}, not for the three documents '
                      '(a fourth box means the child has a likely twin)')
    confirm = client.wait(f'the button “{CONFIRM}”',
                          lambda: client.find(view, 'push button', CONFIRM))
    if client.state(confirm, pyatspi.STATE_SENSITIVE):
        raise Failure(f'“{CONFIRM}” is enabled before the documents are ticked')
    for i, check in enumerate(boxes):
        if i > 0:
            client.key(0xff54)  # Down
        client.key(0x20)  # space
        client.wait(f'“{DOCUMENTS[i]}” ticked',
                    lambda: client.state(check, pyatspi.STATE_CHECKED), timeout=10)
    client.wait(f'“{CONFIRM}” enabled', lambda: client.state(confirm, pyatspi.STATE_SENSITIVE))
    step('documents ticked')
    check_names(client, window, unnamed, 'the child\'s card')

    client.click(confirm)
    client.wait(f'the toast “{CONFIRMED}”', lambda: client.find_toast(window, CONFIRMED))
    step('confirmed')

    client.click(client.wait(f'the button “{ISSUE}”',
                             lambda: client.find(view, 'push button', ISSUE)))
    activate = client.wait(f'the button “{ACTIVATE}”',
                           lambda: client.find(view, 'push button', ACTIVATE))
    check_names(client, window, unnamed, 'the card with an issued certificate')
    client.click(activate)

    toast = client.wait(f'the toast “{ACTIVATED}”',
                        lambda: client.find_toast(window, ACTIVATED))
    if text_of(toast) != ACTIVATED:
        raise Failure(f'the toast says “{text_of(toast)}”')
    client.wait('the certificate status on the card',
                lambda: any(text_of(label) in ACTIVE_STATUSES
                            for label in client.find_all(view, 'label')))
    check_names(client, window, unnamed, 'the card with an active certificate')
    status = certificate_status(desk.db, child_id)
    if status not in ('accounting', 'personified'):
        raise Failure(f'the store says the certificate is “{status}”')
    step('issued and activated')

    if unnamed:
        raise Failure('controls without an accessible name: ' +
                      '; '.join(f'{role} named “{name}” (first in {where})'
                                for (role, name, _), where in unnamed.items()))


def inner(args):
    tmp = os.environ[INNER]
    try:
        import pyatspi  # noqa: F401
    except ImportError:
        say('python3-pyatspi is missing for /usr/bin/python3: '
            'apt-get install at-spi2-core python3-pyatspi dbus')
        return 1

    desk = Desk(args, tmp)
    try:
        desk.start()
        run_scenario(Client(desk, args.time_factor), desk)
    except Failure as error:
        say(f'FAILED: {error}')
        desk.show_logs()
        return 1
    except Exception:
        say('FAILED with an exception:')
        for line in traceback.format_exc().splitlines():
            say(line)
        desk.show_logs()
        return 1
    finally:
        desk.stop()
    step('passed')
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--desk', required=True)
    parser.add_argument('--regiond', required=True)
    parser.add_argument('--builddir', required=True)
    parser.add_argument('--timeout', type=float, default=200,
                        help='seconds for the whole test')
    parser.add_argument('--time-factor', type=float, default=1,
                        help='how many times slower the build is (sanitizers)')
    args = parser.parse_args()
    args.desk = os.path.abspath(args.desk)
    args.regiond = os.path.abspath(args.regiond)
    args.builddir = os.path.abspath(args.builddir)
    if INNER in os.environ:
        return inner(args)
    return outer(args)


if __name__ == '__main__':
    sys.exit(main())
