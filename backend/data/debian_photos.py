"""Natural photos from Debian packages for the adversarial patches: a held-out set and more
training photos.

The patches first trained only on scikit-image's photos (backend.data.skimage_photos), mostly
textures and microscopy, and its six held-out photos are too few to tell 70 % from 90 %.
HELD_OUT_PHOTOS are 34 natural photos (animals, fruit, buildings, scenes) that packages ship as
samples, puzzles or wallpapers, each with the ImageNet classes that count as a correct answer
for it. TRAINING_PHOTOS are 44 other photos of the same kind from the same packages and MATE's
nature wallpapers: a patch that has to win on natural photos should train on some. No photo is
in both sets, nor in scikit-image's (tests/test_debian_photos.py checks this by content).
Each photo's licence is the one its package states (assets/README.md lists them).

Where a held-out photo's subject has no exact ImageNet class, its labels are the nearest ones
and the comment says so (a red apple: "Granny Smith", ImageNet's only apple; a mandrill:
"baboon").

The photos are not copied into the repository: `ensure_downloaded` fetches each package's .deb
with `apt-get download` (Debian is one of the registries these machines reach; nothing gets
installed, so darknet's 158 dependencies and opencv-doc's 270 MB stay out), unpacks only the
photos into `.data/debian_photos/<package>/...` and checks each file's SHA-256, so the sets
stay exactly the ones measured. `make data` runs it; `python -m backend.data.debian_photos`
does too, `--check` only looks.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from backend import paths

DEFAULT_ROOT = paths.DATA / "debian_photos"

# Debian package -> the version whose files the hashes below were taken from (bookworm).
PACKAGES = {
    "darknet": "0.0.0+git20180914.61c9d02e-2+b4",
    "opencv-doc": "4.6.0+dfsg-12",
    "palapeli-data": "4:22.12.3-1",
    "jigzo-data": "0.6.1-7.1",
    "python-matplotlib-data": "3.6.3-1",
    "python3-sklearn": "1.2.1+dfsg-1",
    "plasma-workspace-wallpapers": "4:5.27.5-2",
    "mate-backgrounds": "1.26.0-1",
}


@dataclass(frozen=True)
class Photo:
    """One photo: where it is in its package, what counts as correct for it (held-out photos
    only; () for a training photo) and its licence."""

    package: str
    member: str                # path inside the package (a jigzo .pzl holds its photo)
    sha256: str
    labels: tuple[str, ...]    # ImageNet class names (assets/imagenet_classes.json)
    licence: str


_DARKNET = "usr/share/darknet/data/"
_OPENCV = "usr/share/doc/opencv-doc/examples/"
_PALAPELI = "usr/share/palapeli/collection/"
_JIGZO = "usr/share/games/jigzo/puzzles/00_default/"
_PLASMA = "usr/share/wallpapers/"
_DARKNET_LICENCE = "GPL-3.0+ or MIT or WTFPL"
_OPENCV_LICENCE = "Apache-2.0 AND BSD-3-Clause"
_BUTTERFLIES = ("admiral", "ringlet", "monarch", "cabbage butterfly", "sulphur butterfly",
                "lycaenid")

HELD_OUT_PHOTOS: dict[str, Photo] = {
    # darknet's sample photos (Joseph Redmon)
    "darknet/dog": Photo("darknet", _DARKNET + "dog.jpg",
                         "5a9522051c3cec2bbd2f6323fccba32e8fbf3ddcc2b3e2fd46b04c720bc6f866",
                         # a husky-like mixed breed by a bicycle
                         ("malamute", "Siberian husky", "Eskimo dog", "German shepherd"),
                         _DARKNET_LICENCE),
    "darknet/eagle": Photo("darknet", _DARKNET + "eagle.jpg",
                           "f95f57297fd51a6c5ddceb5ed6916fa759d1d65f402fee34c05b31a9608755c0",
                           ("bald eagle",), _DARKNET_LICENCE),  # a young one, still brown
    "darknet/giraffe": Photo("darknet", _DARKNET + "giraffe.jpg",
                             "00dc48a9b2af8a1fe4c4b79319726591f1033c7e1150f21e7577a79f3b6659f1",
                             ("zebra",), _DARKNET_LICENCE),  # ImageNet has no giraffe
    "darknet/horses": Photo("darknet", _DARKNET + "horses.jpg",
                            "c8f0a677a1356569e2ce71d2fa88c1030c0ae57ecf5e14170e02d9a86a20dcb4",
                            ("sorrel",), _DARKNET_LICENCE),  # ImageNet's only horse class
    "darknet/kite": Photo("darknet", _DARKNET + "kite.jpg",
                          "87410f52f79cc256c3949b48a3548632c07c8e9943468ef8caa6250f6643be8e",
                          ("seashore", "sandbar", "lakeside"),  # kite-surfers off a beach
                          _DARKNET_LICENCE),
    # OpenCV's sample data (its samples' and contrib modules' data folders)
    "opencv/apple": Photo("opencv-doc", _OPENCV + "data/apple.jpg",
                          "e86879de3d9a807dedc742a8f464f39e6b74bbb531a1fba3583155d94997d1cd",
                          ("Granny Smith",), _OPENCV_LICENCE),  # red; ImageNet's only apple
    "opencv/baboon": Photo("opencv-doc", _OPENCV + "data/baboon.jpg",
                           "1a1dd18d78eec44420af3b0b7f08ee3d41c982916cae3ce203d7ff35d754cc0f",
                           ("baboon",), _OPENCV_LICENCE),  # a mandrill: no class of its own
    "opencv/butterfly": Photo("opencv-doc", _OPENCV + "data/butterfly.jpg",
                              "34a99716b78ded10eae87b4880de739d3e68cc7dd1a96812bb28f469d5eeaea8",
                              _BUTTERFLIES, _OPENCV_LICENCE),  # a swallowtail: no such class
    "opencv/fruits": Photo("opencv-doc", _OPENCV + "data/fruits.jpg",
                           "9c031d80a1c52da5eca790db896baffec6a7e52bf786cdb7bbfca5c7f880e6a1",
                           ("orange", "lemon"), _OPENCV_LICENCE),
    "opencv/home": Photo("opencv-doc", _OPENCV + "data/home.jpg",
                         "23b8cf46a1965d0ec33459b875aed43187802834db49e0daa9fa2cc842e9d8d2",
                         ("palace",), _OPENCV_LICENCE),
    "opencv/orange": Photo("opencv-doc", _OPENCV + "data/orange.jpg",
                           "152c20d2f380ac985de25e474e1a5f06ed34b932191342099b8272a63a15a079",
                           ("orange",), _OPENCV_LICENCE),
    "opencv/squirrel": Photo("opencv-doc", _OPENCV + "data/squirrel_cls.jpg",
                             "20bb6e8ae96918a36c9886b6d48e54eedeb3948591e1485c206bc1dc60c8dc8b",
                             ("fox squirrel",), _OPENCV_LICENCE),  # ImageNet's only squirrel
    "opencv/aloe": Photo("opencv-doc", _OPENCV + "data/aloeL.jpg",
                         "cce5736808efe80d9f04b118dbb978c344d4345672b332718c3e039a3eeb8eee",
                         ("pot",), _OPENCV_LICENCE),  # an aloe in a flowerpot (left view only)
    "opencv/chicky": Photo("opencv-doc", _OPENCV + "data/chicky_512.png",
                           "4d2cf040de084fd3f34d5e3f96f1251faaa4787c1ac3b548fec5809a0d01854e",
                           ("Pekinese", "Shih-Tzu", "Brabancon griffon"),  # a small flat-faced dog
                           _OPENCV_LICENCE),
    "opencv/plant": Photo("opencv-doc", _OPENCV + "alphamat/input_images/plant.jpg",
                          "9928b44eee0d1d7ab2ffd9d6d80bbbff962d6e85c7786de2cd3c97fe72229186",
                          ("pot",), _OPENCV_LICENCE),
    "opencv/robin": Photo("opencv-doc", _OPENCV + "hfs/data/000.jpg",
                          "e4fec7e2e67a8a425b512dc32452825655b11c7fa83326ae509c5c7ab138da9a",
                          ("robin",), _OPENCV_LICENCE),  # European; ImageNet's is American
    "opencv/lake": Photo("opencv-doc", _OPENCV + "hfs/data/001.jpg",
                         "4bcbe0927a8b50f2487463894328da66cddf37f2daa88448258b72892d1f7a23",
                         ("lakeside",), _OPENCV_LICENCE),
    "opencv/monarch": Photo("opencv-doc", _OPENCV + "dnn_superres/butterfly.png",
                            "1c50e61afddd60ebb3829d85187f4e46c9eb8fd8249237ddf0c8904a3286598d",
                            ("monarch",), _OPENCV_LICENCE),
    "opencv/parking_sign": Photo("opencv-doc", _OPENCV + "text/scenetext01.jpg",
                                 "7f3041a7019ab4d33d2452bc757d8c4f38616bfde71431e12f7ec370d7b2018e",
                                 ("street sign", "beach wagon"),  # and a station wagon
                                 _OPENCV_LICENCE),
    "opencv/signpost": Photo("opencv-doc", _OPENCV + "text/scenetext02.jpg",
                             "d4295bff9f348012f91a2cf745753124f85041fe3c3717146c6759c4cd977211",
                             ("street sign",), _OPENCV_LICENCE),
    # KDE Palapeli's puzzle photos; each licence is the one its .desktop file states
    "palapeli/castle": Photo("palapeli-data", _PALAPELI + "castle-maintenon.jpg",
                             "f4a6bf48b97d97715413f9ebd2d8744bd46df0e492bc8326e2513d51084f2612",
                             ("castle", "palace"), "GFDL (Eric Pouhier)"),  # Maintenon, France
    "palapeli/bridge": Photo("palapeli-data", _PALAPELI + "cincinnati-bridge.jpg",
                             "09772d09318b34a5c5edd58ee86ff462bcd2907006f31cc8e0704310f8e9ab60",
                             ("suspension bridge",), "public domain (Derek Jensen)"),
    "palapeli/citrus": Photo("palapeli-data", _PALAPELI + "citrus-fruits.jpg",
                             "0cbd7154a14789803167c86705130d0358875198231269df168ea26224e70848",
                             ("orange", "lemon"), "public domain (US Department of Agriculture)"),
    "palapeli/bee": Photo("palapeli-data", _PALAPELI + "european-honey-bee.jpg",
                          "9d54ae706bddd899c91b2b801d9ca4556a5a9a399b4043f9d539df62a8cb7f27",
                          ("bee",), "public domain (John Severns)"),
    "palapeli/chameleon": Photo("palapeli-data", _PALAPELI + "panther-chameleon-female.jpg",
                                "adb9e2834a8a3db40ca3817452b956ada527085e5aa2bd604c465651a3834ae4",
                                ("African chameleon",),  # a panther chameleon, Madagascar
                                "GFDL (B. Navez and others)"),
    # Jigzo's puzzles (Maarten de Boer); a .pzl holds the photo inside a texture atlas
    "jigzo/castle": Photo("jigzo-data", _JIGZO + "castle-6x3.pzl",
                          "cdfee41cb4e2e706c185e91a714a6de8776ce4334924610876880b86e32d4bb6",
                          ("castle",), "GPL-2+"),
    "jigzo/gorilla": Photo("jigzo-data", _JIGZO + "gorilla2-3x3.pzl",
                           "d8b8b155829703622b1f52af2fcafc8865b1c5fbd54b8e3368c7f820aaf36fda",
                           ("gorilla",), "GPL-2+"),
    "jigzo/horse": Photo("jigzo-data", _JIGZO + "horse-4x3.pzl",
                         "102cd13c2b8801d3aa8ac933ef99c71bb7c25fce24f17011780f128e1e73c059",
                         ("sorrel",), "GPL-2+"),  # a chestnut pony with a flaxen mane
    "jigzo/train": Photo("jigzo-data", _JIGZO + "train-2x2.pzl",
                         "7596ed240974f8560d2ee3c799be2e6ba3b518a78736564f9fc8fca0872ca5ad",
                         ("steam locomotive",), "GPL-2+"),
    # matplotlib's sample data: Grace Hopper, US Navy portrait
    "matplotlib/grace_hopper": Photo(
        "python-matplotlib-data", "usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg",
        "a8ca6d734765703b09728ab47fe59f473d93ae3967fc24c7c0288c3c7adb7130",
        ("military uniform",), "public domain (US Navy); package: matplotlib licence"),
    # scikit-learn's sample image: the Summer Palace, Beijing
    "sklearn/china": Photo(
        "python3-sklearn", "usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg",
        "8378025ad2519d649d02e32bd98990db4ab572357d9f09841c2fbfbb4fefad29",
        ("palace", "monastery"),  # its Tower of Buddhist Incense, a temple
        "CC BY 2.0 (danielbuechele, Flickr)"),
    # KDE Plasma's wallpapers; each licence is the one its metadata.json states
    "plasma/cups": Photo("plasma-workspace-wallpapers",
                         _PLASMA + "ColorfulCups/contents/images/2560x1600.jpg",
                         "6e0f3a72feb5a4a9fec191b77e34874c3c69e2d93040deb3f07773e73385023d",
                         ("cup",), "LGPL-3 (Dmitri Popov)"),
    "plasma/rowing_boats": Photo("plasma-workspace-wallpapers",
                                 _PLASMA + "EveningGlow/contents/images/2560x1600.jpg",
                                 "586682dcb362b9f620068f10138f87d0d3649939aef238adc5807cb951976a7a",
                                 ("lakeside", "canoe"),  # rowing boats on a lake's shore
                                 "LGPL-3 (Ian Hex)"),
    "plasma/jetty": Photo("plasma-workspace-wallpapers",
                          _PLASMA + "ColdRipple/contents/images/2560x1600.jpg",
                          "05bef6722fc0ed81292cceb3ed026c38d17e510f3c84be7d68610c2b1a723c3f",
                          ("pier",), "LGPL-3 (Risto Saukonpää)"),  # a jetty in the fog
}


def _training(package: str, member: str, sha256: str, licence: str) -> Photo:
    return Photo(package, member, sha256, (), licence)


_MATE = "usr/share/backgrounds/mate/nature/"
_MATE_LICENCE = "GPL-2+ (MATE's AUTHORS: {})"

# Training photos: no labels, as the patch's loss only asks for its own target class.
TRAINING_PHOTOS: dict[str, Photo] = {
    # OpenCV's sample data: scenes, street views, objects on a table, a painting. Its
    # `messi5.jpg` is left out like in the held-out set (a press-style photo).
    **{f"opencv/{name.split('.')[0]}": _training("opencv-doc", _OPENCV + "data/" + name, sha256,
                                                _OPENCV_LICENCE)
       for name, sha256 in {
           "aero1.jpg": "d9a69191f6e3642ea361bc3c62e677b2f40fe6534b78da540f4155e0734b59ef",
           "aero3.jpg": "1c407146f8762b3b14a7953ff9bc4c01ed64c467d7277122e769bf7e816017a4",
           "basketball1.png": "ba06f6701f7260998b430c39b6557f775497e6ce7b1a74f0b7ea6af371bf54a6",
           "building.jpg": "742a1baad62ac82e91e718e77eedf7e85c2eddc4badfb8c87c6cbc86c45a8b07",
           "graf1.png": "1504b769303c7bde00fa578eeaad3c68e02aceabeb1242e556f1f8d19e4bdea5",
           "leuvenA.jpg": "b2977cdbd9fb3f94dadd6f76cf586d145676deb8a22b5f0f42149d21c058c09f",
           "starry_night.jpg": "accda7a19a90f22a4a922fdc8c230167d7abf5f80882171e2cee125c5f12481d",
           "stuff.jpg": "21cd00afbdd0727f445dd91c0a09633e6345ed5b05a3d2355453a1f3c314c6c5",
           "rubberwhale1.png": "eb312435369dac9efcc92f7e098edbd9ed8d7e6dfede8b3b4d8e3702cd80b796",
           "smarties.png": "ad3f751c053fdcf432687c1bc0e56a61a9119d2bb2ae29365f8aa6534fc77417",
           "box_in_scene.png": "8b0225ff76244a42bd1400c0904f8b7afea7d97b7d8115495e42e98ad347bd51",
           "ela_original.jpg": "b55798b35e2dcb24675f0865a2442d0e4887eeb6aff322ecb1968d936cc23e7f",
           "licenseplate_motion.jpg":
               "ea6fa9cea75df91bec656d1d3b903111a9c0708c6a3b88f405a5156de38ff9d6",
       }.items()},
    # darknet's other two samples: people with a dog and a horse; Munch's The Scream
    "darknet/person": _training("darknet", _DARKNET + "person.jpg",
                                "cdcbab947e46110fc2b77784ac54ddbbab2640f1e44cb5e91fc8984a9793a7d1",
                                _DARKNET_LICENCE),
    "darknet/scream": _training("darknet", _DARKNET + "scream.jpg",
                                "dcab7bae866fbb396e01ab27a9c8d2d40b3e80911dafb05a5fa18d1bac6b8d17",
                                _DARKNET_LICENCE),
    # MATE's nature wallpapers: flowers, leaves, a ladybird, dunes, a storm, wood
    **{f"mate/{name}": _training("mate-backgrounds", _MATE + name + ".jpg", sha256,
                                 _MATE_LICENCE.format(author))
       for name, (sha256, author) in {
           "Aqua": ("5c30118205982da441bf7e6a1ada636a8a0be879408140b3148280c665ed6bce",
                    "Charles Barbin"),
           "Blinds": ("f7aac0dcc2e06d0491643e84df3da1d9db7c4610f58806a880d56e074799f600",
                      "Lennart Poettering, Andrea Cimitan"),
           "Dune": ("8a67c2cb0be8c46b70c237311a4fa4d2b4ac7d39568135384787801fa5cc9a91",
                    "Marco Cogoni, Hylke Bons"),
           "FreshFlower": ("972b0a0c4e5e3fa93f4f244fc84bc64b121a5eac3aaa5856f1308c1f38a02f8e",
                           "Jens Ansorg"),
           "Garden": ("d3095ee09d425ef23d27155412136cf14fc3c9af76ca58b452f55e23da324e78",
                      "Charles Barbin"),
           "GreenMeadow": ("8fa0de0aa4089f7319c9fb7a6d006d4cab6023e8c8853731557cff53567b4832",
                           "Timothy Schellhase, Lapo Calamandrei"),
           "LadyBird": ("e35a9a4126ef969c90b29c038058c5a575a20eadd84106a37bf1fa9931e7b61d",
                        "Charles Barbin"),
           "RainDrops": ("3e4ea9671c28c90a86cf67b3db9daf18c4741587c596333a7529ca589aaa0c16",
                         "blackcombwhistler07"),
           "Storm": ("77ca53077831d3237f73393a91fc879158abc046d852941c26e90de336356957",
                     "Sergey Nazarov"),
           "TwoWings": ("665e5abf8a5399070a91a9a8e455fe071e5b61697ff78fdeda4e9843ef545aeb",
                        "Charles Barbin, Hylke Bons"),
           "Wood": ("19c78500ac00a622e19907ab9cc7d06d46fe08c4a6142759a84195696150ec07",
                    "Jean-François Fortin Tam"),
           "YellowFlower": ("254da96256acb7add685679775a04d1e4a5bc8cd13e5a5a3d61351ce198a5306",
                            "Charles Barbin"),
       }.items()},
    # KDE Plasma's photo wallpapers (not its three held-out ones); licence from metadata.json
    **{f"plasma/{name}": _training("plasma-workspace-wallpapers",
                                   f"{_PLASMA}{name}/contents/images/{size}.jpg", sha256, licence)
       for name, (size, sha256, licence) in {
           "BytheWater": ("2560x1600",
                          "c272434ef39f2abf1ed48a15a8910088020f3165329a5092f3940ec9464bc05f",
                          "LGPL-3 (Maciej Wiklo)"),
           "DarkestHour": ("2560x1600",
                           "8e3703fae3a3c217b1fc2b399b706cd3720584268d071ba153e4809daa55f1ce",
                           "LGPL-3 (Risto Saukonpää)"),
           "FallenLeaf": ("2560x1600",
                          "95603a6560c7e8d50e0e03b3f4adbe39c5258c72528e74e4ecaea1daf4e499de",
                          "LGPL-3 (Martin Klapetek)"),
           "Grey": ("2560x1600",
                    "88c31d8944b7e6935d1b9a296654c692f0772cb512491713eb30a972a604c0ed",
                    "LGPL-3 (Sigi Sagi)"),
           "Kite": ("2560x1600",
                    "bdca288ce296a981e80659c021cf707caddc702c0c8d4247e60bd618476d47f8",
                    "LGPL-3 (Risto Saukonpää)"),
           "OneStandsOut": ("2560x1600",
                            "cb507baf1dafdcae362264f3aba9483ed4be5f6c9fdd770f0ec0920c6d9e80fd",
                            "LGPL-3 (Risto Saukonpää)"),
           "Path": ("2560x1600",
                    "7477457d7f17b736259f1b021864778ad4ba802cf3214e6728181ff29126bba8",
                    "LGPL-3 (Risto Saukonpää)"),
           "summer_1am": ("2560x1600",
                          "c868b50789591dd42910153c768053f1ba0a98cb36bbfc2b7a96a1045d0477f8",
                          "LGPL-3 (Risto Saukonpää)"),
           "Volna": ("5120x2880",
                     "abc30b4fc6f6a83b6156e6b59ac283c067de40af820aafac8ac7c4fd83a9607c",
                     "CC-BY-SA-4.0 (Nikita Babin)"),
       }.items()},
    # Jigzo's other puzzles
    **{f"jigzo/{name.split('-')[0]}": _training("jigzo-data", _JIGZO + name + ".pzl", sha256,
                                               "GPL-2+")
       for name, sha256 in {
           "bike-3x4": "429e6f6e377dae4e306fd0334f5e72a4c1b34e22518775b3655493e4cad615c1",
           "bird-2x3": "a6008436e6c76ce4d176221ce431a130e05ed4911750e2cae706cb791f8ea8c2",
           "blackberry-3x3": "6ee6f93faa935b00f82c235c0857c0b67f27168b171ad7672b73e82dae206eb8",
           "clouds-4x4": "3b2d0ee19ad08a9626dda07b73e842cb115d888c72bfccf71c4fea342aa5c4b4",
           "heli-4x3": "cd0d0c933c8f49e13c507e80193b0bd3659b8dc246383cfc171786e4432eda50",
           "penguin-3x2": "5b80089649294b194193aa6194833dde30ab1e4a030158063cb534da452a814d",
           "tobogan-4x3": "af6b7cc7cdd2d240be7cc2ce39f42891e609b9af45b49c229c0926cb2b6dfd08",
           "windmill-4x4": "db1c8bb8009d8ca7fd2bed83e6485baaa0c7d26816513133b505eda8cd912f60",
       }.items()},
}

# Every photo ensure_downloaded fetches.
PHOTOS: dict[str, Photo] = {**HELD_OUT_PHOTOS, **TRAINING_PHOTOS}

# photo name -> ImageNet classes that count as correct for it (as skimage_photos.HELD_OUT)
HELD_OUT: dict[str, tuple[str, ...]] = {name: photo.labels
                                        for name, photo in HELD_OUT_PHOTOS.items()}
TRAINING: tuple[str, ...] = tuple(TRAINING_PHOTOS)


def photo_path(name: str, root: Path = DEFAULT_ROOT) -> Path:
    """Where ensure_downloaded puts the photo's file (the .pzl for a jigzo puzzle)."""
    photo = PHOTOS[name]
    return root / photo.package / photo.member


def missing(root: Path = DEFAULT_ROOT) -> list[str]:
    """The photos whose files are not there yet."""
    return [name for name in PHOTOS if not photo_path(name, root).is_file()]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _unpack(deb: Path, wanted: dict[str, Path]) -> None:
    """Write the package's members named in `wanted` (member -> file) and check their hashes."""
    hashes = {photo.member: photo.sha256 for photo in PHOTOS.values()}
    listing = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE)
    found = set()
    try:
        with tarfile.open(fileobj=listing.stdout, mode="r|*") as archive:
            for member in archive:
                name = member.name.removeprefix("./")
                if name not in wanted or not member.isfile():
                    continue
                data = archive.extractfile(member).read()
                if _sha256(data) != hashes[name]:
                    raise RuntimeError(f"{deb.name}: {name} is not the file this held-out set "
                                       "was measured on (its SHA-256 changed); update PHOTOS")
                wanted[name].parent.mkdir(parents=True, exist_ok=True)
                wanted[name].write_bytes(data)
                found.add(name)
    finally:
        listing.stdout.close()
        listing.wait()
    if lost := set(wanted) - found:
        raise RuntimeError(f"{deb.name} has no {sorted(lost)}")


def ensure_downloaded(root: Path = DEFAULT_ROOT) -> Path:
    """Fetch the packages that hold a missing photo (apt-get download, no root needed once
    apt's lists are there) and unpack just the photos; returns root."""
    needed = missing(root)
    if not needed:
        return root
    packages = sorted({PHOTOS[name].package for name in needed})
    with tempfile.TemporaryDirectory() as folder:
        result = subprocess.run(["apt-get", "download", *packages], cwd=folder,
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"apt-get download {' '.join(packages)} failed (run "
                               f"`apt-get update` first?):\n{result.stderr}")
        for package in packages:
            (deb,) = Path(folder).glob(f"{package}_*.deb")
            _unpack(deb, {PHOTOS[name].member: photo_path(name, root)
                          for name in needed if PHOTOS[name].package == package})
    return root


def _jigzo_photo(data: bytes) -> Image.Image:
    """The photo of a jigzo puzzle file: a few header lines, then (name, byte count, bytes)
    entries; the map entry's `image x y w h` line says where the whole photo lies in the
    1024 x 1024 JPEG texture atlas (the rest of the atlas holds the cut-out pieces)."""
    lines = io.BytesIO(data)
    for _ in range(4):  # magic, version, title, URL
        lines.readline()
    entries = {}
    while name := lines.readline().strip().decode():
        size = int(lines.readline())
        entries[name] = lines.read(size)
    atlas_map = next(value for key, value in entries.items() if key.endswith(".map")).decode()
    x, y, width, height = (int(v) for v in next(
        line for line in atlas_map.splitlines() if line.startswith("image ")).split()[1:5])
    atlas = next(value for key, value in entries.items()
                 if key.endswith(".jpg") and not key.endswith("-t.jpg"))
    return Image.open(io.BytesIO(atlas)).crop((x, y, x + width, y + height))


def load_photo(name: str, root: Path = DEFAULT_ROOT) -> np.ndarray:
    """One photo as uint8 RGB [H, W, 3] (ensure_downloaded must have run)."""
    path = photo_path(name, root)
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `make data` "
                                "(or python -m backend.data.held_out_photos)")
    image = _jigzo_photo(path.read_bytes()) if path.suffix == ".pzl" else Image.open(path)
    return np.ascontiguousarray(np.asarray(image.convert("RGB")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--check", action="store_true",
                        help="only say whether every photo is there (exit 1 if not)")
    args = parser.parse_args(argv)
    if args.check:
        absent = missing(args.root)
        print(f"{len(PHOTOS) - len(absent)} of {len(PHOTOS)} photos in {args.root}")
        return 1 if absent else 0
    ensure_downloaded(args.root)
    print(f"{len(HELD_OUT)} held-out and {len(TRAINING)} training photos in {args.root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
