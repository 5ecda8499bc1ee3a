package dev.replog.sync.sequence;

import dev.replog.common.web.BadRequestException;
import dev.replog.sync.paxos.Keys;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code POST /sequences/{name}/ranges} and {@code GET /sequences/{name}}. */
@RestController
@RequestMapping("/sequences")
class SequenceController {

    private final SequenceService sequences;

    SequenceController(SequenceService sequences) {
        this.sequences = sequences;
    }

    /** The body of {@code POST /sequences/{name}/ranges}. */
    record RangeRequest(Long size) {
    }

    @PostMapping("/{name}/ranges")
    Mono<SequenceService.Range> take(@PathVariable String name, @RequestBody RangeRequest request) {
        requireName(name);
        if (request.size() == null) {
            throw new BadRequestException("size is required: {\"size\": N} with N in 1.." + SequenceService.MAX_SIZE);
        }
        long size = request.size();
        if (size < 1 || size > SequenceService.MAX_SIZE) {
            throw new BadRequestException("size must be within 1.." + SequenceService.MAX_SIZE + ", was " + size);
        }
        return sequences.take(name, size);
    }

    @GetMapping("/{name}")
    Mono<SequenceService.SequenceValue> read(@PathVariable String name) {
        requireName(name);
        return sequences.read(name);
    }

    static void requireName(String name) {
        if (!Keys.NAME.matcher(name).matches()) {
            throw new BadRequestException("sequence name must match " + Keys.NAME.pattern() + ", was \"" + name + "\"");
        }
    }
}
