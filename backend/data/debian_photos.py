"""Natural photos from Debian packages for the adversarial patches: a held-out set and more
training photos.

The patches first trained only on scikit-image's photos (backend.data.skimage_photos), mostly
textures and microscopy, and its six held-out photos are too few to tell 70 % from 90 %.
HELD_OUT_PHOTOS are 34 natural photos (animals, fruit, buildings, scenes) that packages ship as
samples, puzzles or wallpapers, each with the ImageNet classes that count as a correct answer
for it. TRAINING_PHOTOS are 58 other photos of the same kind from the same packages, MATE's
nature wallpapers and Lomiri's photo wallpapers: a patch that has to win on natural photos
should train on some. CUTOUTS are 123 photos of single animals cut out of their background
(Tux Paint's stamps), for training too. No photo is in two sets, nor in scikit-image's
(tests/test_debian_photos.py checks this by content).
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
    "lomiri-wallpapers-16.04": "20.04.0-2",
    "lomiri-wallpapers-20.04": "20.04.0-2",
    "tuxpaint-stamps-default": "2022.06.04-1",
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
    # Ubuntu Touch's (Lomiri's) photo wallpapers, from its community contests: a nuthatch, a
    # dragonfly, two dogs, a fig, a glass of wine, mountains; licence from Debian's copyright
    **{f"lomiri/{name.split('_by_')[0]}": _training(f"lomiri-wallpapers-{variant}",
                                                    f"usr/share/backgrounds/{name}.jpg", sha256,
                                                    licence)
       for name, (variant, sha256, licence) in {
           "Bridge_by_Sander_Klootwijk": ("16.04",
            "bd86b081f9975e2b83527f71e49b9271a8ab40885428395969d9f7d834d7f050",
            "CC-BY-SA-4.0 (Sander Klootwijk)"),
           "Dragonfly_by_Bolly": ("16.04",
            "af5af17841009732def24b09bb1e669a1b09d2b4bdeee7812c371101c30d2bb3",
            'CC-BY-SA-4.0 ("Bolly")'),
           "Kleiber_by_Lukas_Baubkus": ("20.04",
            "6572410c09f4492c74ccadde133565a14c0161617d5917d4c820c66d65a44ba7",
            "CC-BY-SA-3.0 (Lukas Baubkus)"),
           "Picture_0B_by_freespace": ("16.04",
            "c8c0ab18e48d9e0419fe42881112137f3afafc27dfddc29ec3a6d54c56d225ad",
            'CC-BY-4.0 (Trevor "Freespace")'),
           "Picture_1A_by_freespace": ("16.04",
            "89e86af38d04daaef975665dc2127e9fa76f0fd68f4eea105a2d0ae3390b010b",
            'CC-BY-4.0 (Trevor "Freespace")'),
           "Wine_by_Jakkub_Mede": ("16.04",
            "d2e96e6d4da40dd804b3d0ce295e94de04a2d7d9b6785d42cd9d92ba58bced74",
            "CC-BY-4.0 (Jakub Mede)"),
           "aitzgorri_by_Aitzol_Berasategi": ("16.04",
            "66268e7b48f8854d36a28765fac6e23ec1aee251daa6da1f64715f201020ad36",
            "CC-BY-4.0 (Aitzol Berasategi)"),
           "free_by_Peter_Nerlich": ("16.04",
            "85a5453c2fed514c75973016f3d862aca62eb7ca087618822469274ac1092373",
            "CC-BY-SA-4.0 (Peter Nerlich)"),
           "friends_by_Aitzol_Berasategi": ("16.04",
            "cc40e313c74e421edffe3403def413c16878ce14661cce7ec5915baeab35538d",
            "CC-BY-4.0 (Aitzol Berasategi)"),
           "greentock_by_Peter_Nerlich": ("16.04",
            "e7b20e2db9dcd6e2b278ca55873c2110b35d89cd38b04d0b18728726888e6889",
            "CC-BY-SA-4.0 (Peter Nerlich)"),
           "life_by_Aitzol_Berasategi": ("16.04",
            "4c119350ead80201fe256850c3d316309ddfb4bdf10b235ce982dcde0c667c05",
            "CC-BY-4.0 (Aitzol Berasategi)"),
           "picosdeeuropa_by_Aitzol_Berasategi": ("16.04",
            "414d0072b2f6f2c555deafeaef6e45c4fed6fa9ad26eba6560ca8803959cf97a",
            "CC-BY-4.0 (Aitzol Berasategi)"),
           "seeding_by_Clements_Engelhardt": ("16.04",
            "a5634d1ab5e41a3568e92d4a894a500c92b891f9ff734e50bd224d6e185a605f",
            "CC0-1.0 (Clemens Engelhardt)"),
           "sunset_by_Aitzol_Berasategi": ("16.04",
            "474dab6a4b9f94dc76c29dfe30e9f5db4af0fd2e33fe5d695f8152b371efca18",
            "CC-BY-4.0 (Aitzol Berasategi)"),
       }.items()},
}

_TUXPAINT = "usr/share/tuxpaint/stamps/animals/"

# Cut-outs: photos of one animal on a transparent background (Tux Paint's stamps; its drawn
# ones, in `cartoon` folders and a few others, are left out, and a see-through shrimp). The
# held-out photos are mostly close-ups of one animal, where the classifier is surest and a
# patch has most to overcome; the training photos above are mostly scenes. Pasted onto them
# (backend.train.adversarial_patch), the cut-outs give the patch such close-ups to win on.
CUTOUTS: dict[str, Photo] = {
    f"tuxpaint/{member.split('/')[-1].removesuffix('.png')}": _training(
        "tuxpaint-stamps-default", _TUXPAINT + member, sha256,
        "GPL-2+ (Tux Paint's stamps, Bill Kendrick and contributors)")
       for member, sha256 in {
           "amphibians/frog-1.png":
               "7fbb4b433aed67f636ef22560a1462d55dfae2567c248bd14e865b54dcce7a6e",
           "amphibians/frog.png":
               "3136e0e0fc9bf3148e066ed925c847a2048436d4cc77e56e7205a874210e95df",
           "birds/adelaide-rosella.png":
               "5f74fbdc0b6764438b599fbcdecf69f25d4762265d609c40db312d2a93f67a2e",
           "birds/albino_peahen.png":
               "dcf13a4f2e3b9acc2e9d6b0003c2f1249d2565a8e85351e80fb4d9f77c307323",
           "birds/blackbird.png":
               "84734f2c1bc3f6f747a44e076919eb542115ebc9f53ec9720cdef17ae09efe6c",
           "birds/chicken_profile.png":
               "963033ffca10bb988e23698f57685f1b34e612a2091b5c650ab1d94341374972",
           "birds/crow.png": "b717979bede3b46034b3e4d879afa51a1f64b63e16322fea4e2d220bd9139e0c",
           "birds/crowned_crane.png":
               "8512e8481a727ced9236f9b1ab994252ed6ac78df6cc6b84d54c6e2565f4fe9e",
           "birds/cuckoo.png": "108973fcbcf130e7741fdd0767d204ea91880158cc7ecdfa08f22805140be074",
           "birds/drake.png": "4a8cfa05f6928b500d68354a5f8dceb8804b776fc5bdb098dd2fb4948dd7ce93",
           "birds/duck.png": "7770d71308241fe7f0a4f99fc2aabe8ac16e4cfff6e37d13e61fab459c8aed33",
           "birds/gander.png": "8401b1e2443527c4b187fd901e4b3ee62795f3e1fb8640cd571d8cec02b188cf",
           "birds/guineafowl.png":
               "8d09c0d7824ea02f64b7a3992499c0b213971d479bb1cd97a171344f4a869c76",
           "birds/helmeted_guineafowl.png":
               "a99a5c8762be390c4813583c159430f401159fa82185c75fd08a62caf1c0458d",
           "birds/hen.png": "c0bf14dd4ee7dfdab6408991e1fa02c3097472f6ddcd46849111db623827881c",
           "birds/heron_greatblue.png":
               "4ce6e79b1bb78efac6846705f20e3efb6ac6f8a1d1f71f39d54a3e595ccb13b5",
           "birds/heron_greatblue_flying.png":
               "bb6df97a15b5a4396c47d4e7ecca7135e684d0fc7877d762d90a8f662396e69f",
           "birds/lark.png": "819d7bbadd3d64b564d669c759f47dd797a4d7a59d1a4f71c00a7ec85b755d5f",
           "birds/little-penguin.png":
               "8e2f462390dc0503acab5a3968b08c05ccf704e2f72a742d31eb85e8f7f1f995",
           "birds/magellanic_penguin.png":
               "ed4a1246d2282478d81bfa6a8bc7644b3660de6dd8ee7afce1b94c06fcf0dcf5",
           "birds/magpie.png": "0940db581fff1eff00aa3a83d8520a7794a3233b4f5d81e71b42e9ce04b2c8ff",
           "birds/nandou.png": "00e5735dec58b5ddeaf5795d1a71efcb33f27037466ce0158d47942089ab0ab4",
           "birds/ostrich.png": "3c3ae1f1b5a29c91f28d810734a24c2f342a25c20615a46f78b281c723df757f",
           "birds/owl.png": "5fd2280da7f3ae317cc9ac7f568f406d581cf858f5295e3581a8845be250a383",
           "birds/peacock.png": "657b94b6d6cd98c88f274ebf8e8f3180aae7795e74e9272543e362367f6a68df",
           "birds/pelican.png": "13f209688b1abd8e91358da28adc62f693604c80760c2763a6baec874e5eb2ac",
           "birds/penguin.png": "5d0106c55f54cd7f7ceb5b997725b49ac9f3c3fd6934cf009a73cc6fa172f00b",
           "birds/pigeon.png": "acf99a925c3b64ef5403611cedcf411436c6785084fa5b875af7407fd89b858f",
           "birds/pink_flamingo.png":
               "76f05c493f655efeaa386521bea913cd41bc9a65318a4ff973a3c4ef1b656643",
           "birds/quetzal.png": "3daef2437986bc96485f5f3b0c11c53dfa036082c20c181e0a6f88261eeaa119",
           "birds/rainbow-lorikeet.png":
               "a0134b0a9bb2aa00988b596968e0dddd11559bc57b2a0474b5c883b846ccc74f",
           "birds/rooster.png": "f8e0caa20436484d76512417cb6c1b1a8d3f631da26350de4f3666526790fbe6",
           "birds/seagull.png": "09019f68ea1aa7f8550c719a52d24c315787873898ee735f2bbb37fd876ba65f",
           "birds/silver-gull.png":
               "8aae4ec47dbb16782e14b0017f0369b6473cf876ef26fc315623c03d7ed29737",
           "birds/tucan.png": "4db72d83ee7b01ce8d72ffd582c96be468261d9b2eed1173eca0647ed1d196b9",
           "birds/turkey.png": "b6e74356f85a205a2f16ab43a2994696faf983d0c7124a892096377042546dbe",
           "birds/vulture.png": "5a829eccfac975dc071327b399732ed1fdf2b4adec035098047670ccf533f27b",
           "fish/bluegroper.png":
               "6b587875e0fd860096889ab8576023ba5f60690e1db27dda225b78d633105f08",
           "fish/butterflyfish.png":
               "52d47a016d2c6765a0f2ce14bbfe735e1d3ea7bbed67bd8e9e45158388779d46",
           "fish/clownfish.png":
               "5bbb65660e9f10fca48c3fedb48dbfa99c75b7cb636ccd004fb2ce4d9da2542a",
           "fish/coraltrout.png":
               "2e61e728ecb7ccc3937f162bb0c4879286ff2204b345c44a5e9cc0ea84960107",
           "fish/dolphinfish.png":
               "0682e0a77562fa4b4736d92e0c0b2d4be64baf1abe82bdb40a6cc7a589354a9b",
           "fish/lionfish.png": "7630d60c1edfebb245d3025b2e8063ec11c2a21b4fc2950ea9acaf560335ad64",
           "fish/lobster.png": "10ad59dd97ee13038aa49b590a887c46a8aaff47c0a2e9d019b7c5bc1947bc78",
           "fish/moonwrasse.png":
               "027823d9e753fdd8cfd28bf5cfc625e52f2be3215b1d57866f2815dead1b1349",
           "fish/seahorse.png": "0871e1071949f18a6390205ee10eeba3ef84685ff7c968fa6e3b42c4575f3a38",
           "fish/stripedfish.png":
               "9d0424a7178d3ed04301dc500e028860a9769cff0c7a02dd44c77cf252cd97f9",
           "insects/Brown_slug.png":
               "e06936e61c58a4588b7d83fdbf31e493f0561c337e052b9f3165ae3d5d2ec85e",
           "insects/Woodlouse.png":
               "fcb1e419dd9afc40650c60e0eb9922282cee439a37b0f4b29bd5f352d280b88f",
           "insects/grasshopper.png":
               "1ecd462ad14f32a5de859613d6a9d9c706261eb6fd1fe80af0ce2a77ec1a8558",
           "insects/hornet.png":
               "70e73aca511e5f466d59d98d640df9f446136cda39f0db2f85ce06265332aafd",
           "insects/hoverfly.png":
               "0e91c5ec67cdb900ef36142a0571c698aa555db127457dc6724f4d21b53c4a82",
           "insects/mantis.png":
               "bf00815bed1b777432d7fa6ce1171b226caa794299dbb1e2994f29544d7ceaae",
           "insects/xanthia.png":
               "b60f2d0ec2d66d676dc523c526634c6acd02f627b95d0490c2563e6bea95ba4d",
           "lizards/iguana.png":
               "7cbe370ea1839051f84601ada1d3d17e3975427d754966a19b57e32507d9815f",
           "mammals/apes/chimp.png":
               "1103c68ddc42cd3b36c7c96020e844a7c1d4fc7dba8132b408263c3038b8f72f",
           "mammals/apes/gorilla.png":
               "a9b45cb2f0acae32161d3ab45505219c6083a18e9412e5439cdd104fcbb53a85",
           "mammals/apes/tamarin_emperor.png":
               "343306d0dcdb3db1aac59692e3a4c30960bc3d5c9a599c4b1356e84d612c4013",
           "mammals/aquatic/dolphin.png":
               "14de4f99361cf957db01085d73a7b0bab34e1b8c25acff9c7eb9b2d730c7a8e0",
           "mammals/aquatic/orca.png":
               "5b1d5b9f2d2250cb6b5405dbfc843538f3f89f56ff535f8d37f6a9937d4fd4f1",
           "mammals/aquatic/otter.png":
               "875ec74ddc9cf664ad988ddfa1972739260b2c59bf4963d06b3b337f31594307",
           "mammals/aquatic/sea_lion.png":
               "0467907bf6b79bc0768fd2ff8a1289b56d1bc2cb83dce30e45d1adf72243fb51",
           "mammals/aquatic/whale.png":
               "a7b05910b7ba21f1425a2372ed7f3d1a159647d5b796216ccda76400d23f0c03",
           "mammals/badger.png":
               "de31acc03128709bd23fc76075c4c945478b259b2b63e15e2b890101d644be2a",
           "mammals/bears/bear.png":
               "aba4c267dac9003ba033fb0e6e7f09ed43b10e38ec625e5c2d6b67196e182c7f",
           "mammals/bears/european-bear.png":
               "bab9ff97e54a0a1961c7411f701f8f156b1d353a5e86cf85c6bc675aea8a32ff",
           "mammals/bears/toys/edward_bear.png":
               "aabc84e7655b26a8e48ef7b2646be7e0d4b5af33e7cc4f517ca940106aed9424",
           "mammals/bovines/bison.png":
               "4316b377b8131e896b62c9e5ff7e0edd49e9d7b4d3acaff7243119f9f66fe65f",
           "mammals/bovines/bull.png":
               "760a7f5b1f4c6da418f0b55d55802eadfbbffe1e5e02aceee0c52bd249cab434",
           "mammals/bovines/cow.png":
               "741dccf90e341f2c69f0c9c60489f9ce9191f9c078b04b43233a8a77411491c4",
           "mammals/bovines/cow_white.png":
               "0b189be2bb21dc9cccf842bf4cbee78f014fa60d07a5c78a20e54e2b664acdba",
           "mammals/bovines/gnu-baby-stand.png":
               "c37a5b9c3159a1f7c173e8aec6c2c268bb0e3c7ed42bc95bfdbaa17b11d0d15b",
           "mammals/bovines/gnu-baby.png":
               "832582f35b7568b2c5f1f13f181833d039d2708b4d26b9c9c5851699d3da8951",
           "mammals/bovines/gnu-sitting.png":
               "0e3cbfc84c5b58f862ffc98f25322c3a37de57b89114bd90134877361a7d6a69",
           "mammals/bovines/gnu-stand.png":
               "70b16c784d788ad7545d3a96b40b009370783a285a4d49c953619aef3f9cb860",
           "mammals/bovines/goat.png":
               "48bbfd85e3e2cfdc7eb473abdd968cf879e76ae39eed4407cea4c527203d759d",
           "mammals/bovines/indian_blackbuck.png":
               "4220b0626d555b2e466dc7136cf430c783bff91847f38e331b7140bd4543a5bf",
           "mammals/bovines/mountaingoat.png":
               "44409f27fbd8542c1bf71ed42065d0774042be54321586d4a224aa78697fbc2e",
           "mammals/bovines/ram.png":
               "619f393899b04dc4d29d2d48af83d145caae89a95b357508ff67a065da67179a",
           "mammals/bovines/sheep.png":
               "170207d37257b4186b4d2311a6a586ae8387c0dff95ce533d272f104a68785c3",
           "mammals/bovines/sheep_lamb.png":
               "f056bdaac25aaadcf3239ca3944bd5d8609b5a406a9831d636798e7955e6945f",
           "mammals/bovines/yak.png":
               "5f9fc17ead4a7a34d8345bcedb4354578c34809b34c2e12b44ba6da607b58f9b",
           "mammals/bovines/zebu.png":
               "f9a56c941d60587d9bec259378e746428c2c3c414fadc9cee24071620b69e437",
           "mammals/camel/camel.png":
               "910c74c113d617741e549c84ddfc73b69df69b8e7f647bc98815e33f0db7a5df",
           "mammals/camel/dromedary.png":
               "f7455abfa012318bf61702e01815d61bb0a3eb4bfea25b91a8f78437ee157c24",
           "mammals/cats/lion-2.png":
               "f608afc9531257d9322d80a609094abe5827351973cdc08e0fecd1cd2cb76788",
           "mammals/cats/lion.png":
               "79ef5635d7a2a5c865017ce92a7cc0704468e2c5220b8fa588e1be5385fb120e",
           "mammals/cats/tiger.png":
               "699baad06e31c6274fc7bb576953dc0f66a6677a8286daefbdf454cf7b7395d6",
           "mammals/cats/tiger_sumatran.png":
               "0b80b05c2920d0dbe788c377149a9d0ba19b63ef5ea809e1234ab837f5c48af6",
           "mammals/deer/caribou.png":
               "ff7448b99a3733c581ad176d1eb77d58038e73981dc5b67c020b148ea5fe9245",
           "mammals/deer/deer.png":
               "e620c6ba979e0c73536db240b9c4fd72541aad67674b4e9ad037aab0024c0844",
           "mammals/deer/doe.png":
               "c1d34426120c243c2357959e4307a3f1b395a049fa3fac285fe66c9298727612",
           "mammals/deer/wapiti.png":
               "8ba175a8d56141e67ec6cebfc69404d0cfcdfa94f79635f6e2547c5ba22cffb1",
           "mammals/dogs/dingo.png":
               "665de674b6adc0b89437cfa4e6635fcce180e4725367592383848d1f3e345484",
           "mammals/dogs/dog.png":
               "63b3906f5b3cfcb406d8cf99ea0252a84d2d2b60795b5e275c0b4f2b9985b71a",
           "mammals/dogs/fox.png":
               "d754bb3b88fc6e27c454e8880c62ba8fb84b3db7d37948209ca8b445be7d6cea",
           "mammals/elephant.png":
               "c58332e1f4ef1f476ffb0e8a2df86f0b55c589496b3699de26cfeabd231a8a70",
           "mammals/equines/donkey.png":
               "e32ef9dfdf287af6b1a3120a2a18fc319a6763537d650085ae595c329208d10a",
           "mammals/equines/donkey_eating.png":
               "3d5c1c5c4b2676232301c657b8e9cf7b84f93391fe0085bff85c9efb8e967ccf",
           "mammals/equines/horse.png":
               "1c14aee30e0af4984fcfed4ec9b13769b4e16bb0eb49f95ccef65126b424c6fd",
           "mammals/equines/zebra.png":
               "f4a1329606b3d77b7064c8c42d3e247f522f1a48f852ef787a963ecf819f0a8c",
           "mammals/ferret.png":
               "3afe4960c302ad43a71b9cd41be3552bb45615c57edd3bae2ab6babd54d432dc",
           "mammals/giraffe.png":
               "59c918fefc4aa2e2e8218f4b6c341485b88fb582a6880135d215d706e80f8595",
           "mammals/hippopotamus.png":
               "3ed404f03c93de77bf1728faa208cc54681beef84f51ebda7689b916d51b3b94",
           "mammals/pig.png": "41b6caefca7cb65f3c5ab5afdf77dc31b880031ecf1a422035cf7160ffb8b3da",
           "mammals/pig_golden.png":
               "10648b2307bf0a71b9ecc602191d6b789a4e02968044b22a8490c313d6fec091",
           "mammals/pig_golden2.png":
               "24e5e786150629381fb66a6efbbebad1d893efbdbae331fb245b832a1b37b07f",
           "mammals/rabbit_little.png":
               "8c0e6c852e4a62bc7a80834edf9003323853d7d5a67981e7c8fb179afe93cf39",
           "mammals/rhino_black.png":
               "ebcb7df282100fcdd37658f422897c4437e38a073a0b63bfea6de829ea555fa2",
           "mammals/rodents/beaver.png":
               "556401ea1b5f20f70ea26176b32ed494a1cc700287feba447ce3d737e9e5bdab",
           "mammals/rodents/capybara.png":
               "d9fa6ba63e64c31ddbfe74f28aa1e4b9bae184ee0841375c0160d4ebccd43ac0",
           "mammals/rodents/marmot.png":
               "95ff9db558973e015ac81b37a66e1caf8e69687a6ff76c331c733b041f51246c",
           "mammals/rodents/mouse.png":
               "57aaf4eff25656ac619266183f9e66671d52334d3a1516e457fe24d4e8931b5a",
           "mammals/rodents/rabbit-2.png":
               "1c4cc3e7c35d2a5135758011222dbcbe7af6bf868d024c9361cb02c006f22e3c",
           "mammals/rodents/rabbit.png":
               "31d51dd24faa75f48dc19450a3fa1896d951f049a867b77934de4629de49db8c",
           "mammals/rodents/rat.png":
               "06a207bbd6c470132ee37456e4377c9080f2332e84d6692940ac37d408606ec0",
           "mammals/rodents/squirrel.png":
               "ac942f3b777493bb97cfd7e08cd5809bd31863ae73bd1fb681fa0e8e01f13fe7",
           "mammals/wildboar.png":
               "74f3338d0acf2aa127a77bd475a14fa109d8be5b77586db0e9dc142621e387a2",
           "marsupials/kangaroo.png":
               "eae6784ba555c357e1330901e00450723f1a180966a5e4e9fd1a3344804d01bf",
           "marsupials/koala.png":
               "1ca01ed025cfcaf47e8529b72b8390f8e9e7d5d23b2b3c1b3fdec8873c7ec0be",
           "marsupials/wombat.png":
               "b1aa4f2c3d82f428ee33e34ff3150bf5187b915f9bc50eaa2ed12a1614e376b0",
           "shellfish/abalone.png":
               "b449a4151c2d82f9b61fbfd5ee79e408f1b6a4a69482e177e936d26b884e9bb7",
           "shellfish/murray-mussel.png":
               "cd66a46e0654a948a222db8e8f4437add8dcf789654092daef35a23401268bf8",
       }.items()}

# Every photo ensure_downloaded fetches.
PHOTOS: dict[str, Photo] = {**HELD_OUT_PHOTOS, **TRAINING_PHOTOS, **CUTOUTS}

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


def load_photo(name: str, root: Path = DEFAULT_ROOT, mode: str = "RGB") -> np.ndarray:
    """One photo as uint8 [H, W, 3], or [H, W, 4] with mode="RGBA" (a cut-out's
    transparency); ensure_downloaded must have run."""
    path = photo_path(name, root)
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `make data` "
                                "(or python -m backend.data.debian_photos)")
    image = _jigzo_photo(path.read_bytes()) if path.suffix == ".pzl" else Image.open(path)
    return np.ascontiguousarray(np.asarray(image.convert(mode)))


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
    print(f"{len(HELD_OUT)} held-out photos, {len(TRAINING)} training photos and "
          f"{len(CUTOUTS)} cut-outs in {args.root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
