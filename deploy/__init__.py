"""The lecture-hall deployment: N Streamlit replicas of the gallery behind HAProxy.

`python -m deploy.hall` (`make serve`) runs it on one machine; `deploy.hall.running_hall`
does the same from Python (tests, bench/load.py); deploy/compose.yaml is the container
version for one or more machines.
"""
