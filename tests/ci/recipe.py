#!/usr/bin/env python3
"""Reads the CI recipes under ci/ for tests/ci.sh.

  recipe.py parse FILE      exit 0 when every YAML document in FILE parses, else 1 and why
  recipe.py commands FILE   the commands FILE runs, one a line, a leading `sudo ` removed:
                            GitHub Actions: every step's `run:` (each line of it);
                            GitLab CI: every job's before_script, script, after_script;
                            Kubernetes: the command + args of each container named `harness`
                            (other containers are glue: they only hold the report).
  recipe.py check FILE      structural checks of what a recipe must do besides its commands
                            (publish junit.xml, keep the report when the run fails, ...);
                            prints one line per problem, exit 1 if any.
"""
import shlex
import sys

import yaml

GITLAB_RESERVED = {"stages", "variables", "default", "include", "workflow", "image",
                   "services", "cache", "before_script", "after_script", "pages"}


def load(path):
    with open(path, encoding="utf-8") as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def script_lines(value):
    """A run: string or a script: list as command lines (continuations joined)."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        cur = ""
        for line in str(item).splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.endswith("\\"):
                cur += line[:-1].strip() + " "
                continue
            out.append((cur + line).strip())
            cur = ""
        if cur:
            out.append(cur.strip())
    return out


def kind_of(path, docs):
    if any(isinstance(d, dict) and "kind" in d and "apiVersion" in d for d in docs):
        return "kubernetes"
    if any(isinstance(d, dict) and isinstance(d.get("jobs"), dict) for d in docs):
        return "github"
    return "gitlab"


def pod_specs(doc):
    """The pod specs of a Kubernetes object (Pod, Job, CronJob, DaemonSet, Deployment...)."""
    spec = doc.get("spec") or {}
    if doc.get("kind") == "Pod":
        return [spec]
    if doc.get("kind") == "CronJob":
        spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    tmpl = spec.get("template") or {}
    return [tmpl.get("spec") or {}] if tmpl else []


def commands(path):
    docs = load(path)
    kind = kind_of(path, docs)
    out = []
    if kind == "github":
        for doc in docs:
            for job in (doc.get("jobs") or {}).values():
                for step in job.get("steps") or []:
                    if "run" in step:
                        out += script_lines(step["run"])
    elif kind == "gitlab":
        for doc in docs:
            default = doc.get("default") or {}
            for name, job in doc.items():
                if name in GITLAB_RESERVED or name.startswith(".") or not isinstance(job, dict):
                    continue
                if "script" not in job:
                    continue
                for key in ("before_script", "script", "after_script"):
                    val = job.get(key, default.get(key, doc.get(key)))
                    if val:
                        out += script_lines(val)
    else:
        for doc in docs:
            for spec in pod_specs(doc):
                for c in (spec.get("initContainers") or []) + (spec.get("containers") or []):
                    if c.get("name") == "harness":
                        out.append(shlex.join([str(w) for w in
                                               (c.get("command") or []) + (c.get("args") or [])]))
    return [c[5:] if c.startswith("sudo ") else c for c in out]


def check(path):
    docs = load(path)
    kind = kind_of(path, docs)
    bad = []
    if kind == "github":
        steps = [s for d in docs for j in (d.get("jobs") or {}).values() for s in j.get("steps") or []]
        uses = {s.get("uses", "").split("@")[0]: s for s in steps if "uses" in s}
        if "actions/checkout" not in uses:
            bad.append("no actions/checkout step")
        up = uses.get("actions/upload-artifact")
        if not up or "balloon-report" not in str((up.get("with") or {}).get("path", "")):
            bad.append("no actions/upload-artifact step of balloon-report/")
        elif "always()" not in str(up.get("if", "")):
            bad.append("the upload step has no `if: always()`: a failing run would keep no report")
        junit = [s for s in steps if "junit" in str(s.get("uses", "")) or "test-reporter" in str(s.get("uses", ""))]
        if not junit or "balloon-report/junit.xml" not in str(junit[0].get("with")):
            bad.append("no step publishes balloon-report/junit.xml")
        elif "always()" not in str(junit[0].get("if", "")):
            bad.append("the JUnit step has no `if: always()`")
        for d in docs:
            for name, j in (d.get("jobs") or {}).items():
                if "ubuntu-latest" not in str(j.get("runs-on")):
                    bad.append(f"job {name}: runs-on is not ubuntu-latest")
    elif kind == "gitlab":
        jobs = [j for d in docs for n, j in d.items()
                if isinstance(j, dict) and "script" in j and not n.startswith(".")]
        if not jobs:
            bad.append("no job with a script")
        for j in jobs:
            art = j.get("artifacts") or {}
            if art.get("when") != "always":
                bad.append("artifacts: when is not always")
            if (art.get("reports") or {}).get("junit") != "balloon-report/junit.xml":
                bad.append("artifacts: reports: junit is not balloon-report/junit.xml")
            if not any("balloon-report" in str(p) for p in art.get("paths") or []):
                bad.append("artifacts: paths lacks balloon-report/")
    else:
        for d in docs:
            for spec in pod_specs(d):
                cs = (spec.get("initContainers") or []) + (spec.get("containers") or [])
                h = [c for c in cs if c.get("name") == "harness"]
                if not h:
                    bad.append(f"{d.get('kind')} {d.get('metadata', {}).get('name')}: no container named harness")
                    continue
                if not (h[0].get("securityContext") or {}).get("privileged"):
                    bad.append("the harness container is not privileged")
                if spec.get("hostPID"):
                    bad.append("hostPID is set: the harness does not need it")
                mounts = {m.get("mountPath") for m in h[0].get("volumeMounts") or []}
                if "/reports" not in mounts:
                    bad.append("the harness container does not mount /reports")
    for b in bad:
        print(b)
    return 1 if bad else 0


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("parse", "commands", "check"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    mode, path = sys.argv[1], sys.argv[2]
    try:
        if mode == "parse":
            load(path)
            return 0
        if mode == "check":
            return check(path)
        for c in commands(path):
            print(c)
        return 0
    except (OSError, yaml.YAMLError) as e:
        print(f"{path}: {e}".replace("\n", " "))
        return 1


if __name__ == "__main__":
    sys.exit(main())
