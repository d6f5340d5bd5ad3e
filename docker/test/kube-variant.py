#!/usr/bin/env python3
"""Derives from docker/k8s/ a variant of the coordinator and worker manifests that `podman kube play`
(4.3) plays, printing each substitution, for docker/test/container-test.sh.

  kube-variant.py K8S_DIR IMAGE KEYS_DIR VOLUMES_DIR SWEEPS_DIR SPEC WORKERS > variant.yaml

Podman 4.3 plays Pod, Deployment, PersistentVolumeClaim and ConfigMap with hostPath, emptyDir and PVC
volumes; it has no Job, Secret or Service, no configMap or secret volumes, and runs health checks through
systemd timers. So: each Job becomes its pod template as Pods (the workers' as WORKERS Pods); each secret
volume becomes a hostPath folder under VOLUMES_DIR holding the files the Secret would give it (the
Secrets as secret.example.yaml lists them, filled from KEYS_DIR, with the volume's defaultMode and
the pod's fsGroup); the configMap volume becomes the hostPath SWEEPS_DIR; the probes are dropped (the
test runs their command itself); the Service is dropped (the pods share a podman network on which a
pod's name resolves, and the coordinator's pod has the Service's name). Anything it does not expect is
an error, so that a change to the manifests is noticed here.
"""
import copy
import os
import shutil
import sys

import yaml


def note(text):
    print(f"kube substitution: {text}", file=sys.stderr)


def fail(text):
    sys.exit(f"kube-variant.py: {text}")


def load(path):
    try:
        with open(path) as file:
            return [document for document in yaml.safe_load_all(file) if document]
    except (OSError, yaml.YAMLError) as error:
        fail(f"{path}: {error}")


def secret_keys(k8s_dir):
    """Each Secret's file names, from secret.example.yaml."""
    return {document["metadata"]["name"]: list(document.get("stringData", document.get("data", {})))
            for document in load(f"{k8s_dir}/secret.example.yaml") if document.get("kind") == "Secret"}


def playable_pod(template, pod_name, owner, context):
    spec = copy.deepcopy(template["spec"])
    group = spec.get("securityContext", {}).get("fsGroup")
    for volume in spec.get("volumes", []):
        if "secret" in volume:
            secret = volume["secret"]
            name = secret["secretName"]
            if name not in context["secrets"]:
                fail(f"{owner}: volume {volume['name']}: Secret {name} is not in secret.example.yaml")
            items = {item["key"]: item["path"] for item in secret.get("items", [])} \
                or {key: key for key in context["secrets"][name]}
            folder = os.path.join(context["volumes_dir"], pod_name, volume["name"])
            os.makedirs(folder, exist_ok=True)
            for key, target in items.items():
                source = os.path.join(context["keys_dir"], key)
                if not os.path.isfile(source):
                    fail(f"{owner}: Secret {name} needs {key}, which is not in {context['keys_dir']}")
                shutil.copyfile(source, os.path.join(folder, target))
                os.chmod(os.path.join(folder, target), secret.get("defaultMode", 0o644))
                if group is not None:
                    os.chown(os.path.join(folder, target), 0, group)
            note(f"{owner}: volume {volume['name']}: secret {name} ({', '.join(items.values())}, mode "
                 f"{secret.get('defaultMode', 0o644):o}, group {group}) → hostPath {folder}")
            volume.clear()
            volume.update({"name": os.path.basename(folder), "hostPath": {"path": folder, "type": "Directory"}})
        elif "configMap" in volume:
            note(f"{owner}: volume {volume['name']}: configMap {volume['configMap']['name']} → hostPath {context['sweeps_dir']}")
            volume.update({"hostPath": {"path": context["sweeps_dir"], "type": "Directory"}})
            del volume["configMap"]
        elif not ({"persistentVolumeClaim", "emptyDir", "hostPath"} & set(volume)):
            fail(f"{owner}: volume {volume['name']} is of a kind this test does not know: {sorted(volume)}")
    for container in spec["containers"]:
        if container.get("image") != context["image"]:
            note(f"{owner}: container {container['name']}: image {container.get('image')} → {context['image']}")
            container["image"] = context["image"]
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            if probe in container:
                note(f"{owner}: container {container['name']}: {probe} dropped (the test runs its command)")
                del container[probe]
        for variable in container.get("env", []):
            if variable.get("name") == "AESWEEP_SPEC" and variable.get("value") != context["spec"]:
                note(f"{owner}: AESWEEP_SPEC {variable.get('value')} → {context['spec']}")
                variable["value"] = context["spec"]
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": pod_name, "labels": dict(template.get("metadata", {}).get("labels", {}))},
            "spec": spec}


def main(arguments):
    if len(arguments) != 7:
        fail(__doc__)
    k8s_dir, image, keys_dir, volumes_dir, sweeps_dir, spec, workers = arguments
    try:
        workers = int(workers)
    except ValueError:
        fail(f"WORKERS must be a number, got {workers!r}")
    context = {"image": image, "keys_dir": keys_dir, "volumes_dir": volumes_dir, "sweeps_dir": sweeps_dir,
               "spec": spec, "secrets": secret_keys(k8s_dir)}
    output = []
    for path in (f"{k8s_dir}/coordinator.yaml", f"{k8s_dir}/worker-job.yaml"):
        for document in load(path):
            kind, name = document.get("kind"), document.get("metadata", {}).get("name")
            if kind == "PersistentVolumeClaim":
                output.append(document)
            elif kind == "Service":
                note(f"Service {name} dropped: the coordinator's pod is named {name}, which resolves on the pods' network")
            elif kind == "Job":
                unknown = set(document["spec"]) - {"parallelism", "completions", "backoffLimit", "podFailurePolicy", "template"}
                if unknown:
                    fail(f"Job {name}: fields this test does not know: {sorted(unknown)}")
                coordinator = document["spec"]["template"].get("metadata", {}).get("labels", {}) \
                    .get("app.kubernetes.io/component") == "coordinator"
                names = [name] if coordinator else [f"{name}-{index + 1}" for index in range(workers)]
                note(f"Job {name} (parallelism {document['spec'].get('parallelism', 1)}) → its pod template as "
                     f"Pod(s) {', '.join(names)}; backoffLimit and podFailurePolicy dropped, restartPolicy kept")
                for pod_name in names:
                    output.append(playable_pod(document["spec"]["template"], pod_name, f"Pod {pod_name}", context))
            else:
                fail(f"{path}: a {kind} ({name}) this test does not know how to play")
    yaml.safe_dump_all(output, sys.stdout, sort_keys=False)


if __name__ == "__main__":
    main(sys.argv[1:])
