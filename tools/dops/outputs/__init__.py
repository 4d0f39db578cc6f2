"""The outputs layer: reporters, the status overview and the site's pages. Imports from the layers
below (features, rules, core), never from the command line.
"""
